import { PAYMENT_CONTRACT } from '../../../utils/contracts/bundled';
import {
  ProviderError,
  ProviderNetworkError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from '../../../utils/http/client-errors';
import {
  passThroughBreaker,
  policiesForContract,
  ResiliencePolicy,
  type ResilienceSettings,
} from '../../../utils/resilience/policies';

const SETTINGS: ResilienceSettings = {
  provider: 'payment',
  retries: 2,
  backoff: 'exponential',
  timeoutMs: 1_000,
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  idempotency: 'key',
};

function timing() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    random: () => 0.5,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** An attempt function that fails with the given errors in order, then answers `done`. */
function failing(...errors: unknown[]) {
  const seen: number[] = [];
  const attempt = async ({ attempt: number }: { attempt: number }) => {
    seen.push(number);
    const error = errors.shift();
    if (error !== undefined) throw error;
    return 'done';
  };
  return { attempt, seen };
}

describe('policiesForContract', () => {
  it('builds one policy per endpoint from the contract', () => {
    const policies = policiesForContract(PAYMENT_CONTRACT);
    expect(Object.keys(policies).sort()).toEqual(['create_charge', 'create_refund', 'get_charge']);
    expect(policies.create_charge?.settings).toEqual({
      provider: 'stripe-payment',
      retries: 3,
      backoff: 'exponential',
      timeoutMs: 10_000,
      initialDelayMs: 250,
      maxDelayMs: 8_000,
      idempotency: 'key',
      rateLimit: { text: '100/s', perSecond: 100, burst: 100 },
    });
    expect(policies.get_charge?.settings.idempotency).toBe('natural');
  });
});

describe('ResiliencePolicy', () => {
  it('retries what is safe to retry and waits the backoff between attempts', async () => {
    const time = timing();
    const policy = new ResiliencePolicy(SETTINGS, time);
    const { attempt, seen } = failing(
      new ProviderError('payment', 503),
      new ProviderNetworkError('payment', new Error('x'), { sent: true }),
    );
    await expect(policy.execute(attempt)).resolves.toBe('done');
    expect(seen).toEqual([1, 2, 3]);
    expect(time.waits).toEqual([50, 100]);
  });

  it('passes a failure that must not be retried straight through', async () => {
    const policy = new ResiliencePolicy(SETTINGS, timing());
    const declined = new ProviderError('payment', 402, { providerCode: 'card_declined' });
    const { attempt, seen } = failing(declined);
    await expect(policy.execute(attempt)).rejects.toBe(declined);
    expect(seen).toEqual([1]);
  });

  it('gives up after the retries with ProviderUnavailableError carrying the last failure', async () => {
    const policy = new ResiliencePolicy(SETTINGS, timing());
    const last = new ProviderError('payment', 502);
    const { attempt, seen } = failing(
      new ProviderError('payment', 500),
      new ProviderError('payment', 500),
      last,
    );
    const error = await policy.execute(attempt).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({
      attempts: 3,
      cause: last,
      message: 'payment unavailable after 3 attempts: payment answered 502',
    });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('times out an attempt through its abort signal', async () => {
    const policy = new ResiliencePolicy({ ...SETTINGS, retries: 0, timeoutMs: 20 }, timing());
    const error = await policy
      .execute(
        ({ signal }) =>
          new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toMatchObject({ attempts: 1, timeoutMs: 20 });
  });

  it('stops when the caller aborts, without calling it a timeout', async () => {
    const policy = new ResiliencePolicy(SETTINGS, timing());
    const controller = new AbortController();
    const { attempt, seen } = failing();
    controller.abort(new Error('caller gave up'));
    await expect(policy.execute(attempt, controller.signal)).rejects.toThrow('caller gave up');
    expect(seen).toEqual([]);
  });

  it('takes a token of the rate limit for every attempt, retries included', async () => {
    const time = timing();
    const policy = new ResiliencePolicy(
      { ...SETTINGS, rateLimit: { text: '1/s', perSecond: 1, burst: 1 } },
      time,
    );
    const { attempt } = failing(new ProviderError('payment', 503));
    await policy.execute(attempt);
    // The retry waits its backoff (50 ms), then the rest of the second for its token.
    expect(time.waits).toEqual([50, 950]);
  });

  it('has a pass-through circuit breaker by default', async () => {
    await expect(passThroughBreaker.execute(async () => 7)).resolves.toBe(7);
  });
});
