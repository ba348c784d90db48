import { PaymentConnector, PaymentDeclinedError } from '../../../utils/connectors/payment';
import { PAYMENT_CONTRACT } from '../../../utils/contracts/bundled';
import type { RequestCorrelation } from '../../../utils/http/correlation';
import { JunctionError } from '../../../utils/http/errors';
import { dynamoDbPersistence } from '../../../utils/idempotency/store';
import {
  PaymentProviderTimeoutError,
  PaymentProviderUnavailableError,
  TransactionInProgressError,
  TransactionReusedError,
} from '../../../utils/payments/errors';
import type { PaymentRequest } from '../../../utils/payments/payment-request';
import {
  outboundIdempotencyKey,
  PaymentProcessor,
  type PaymentProcessorDependencies,
} from '../../../utils/payments/process-payment';
import { CircuitBreaker } from '../../../utils/resilience/circuit-breaker';
import type { CircuitBreakerHook } from '../../../utils/resilience/policies';
import { staticCredentials } from '../../../utils/security/credentials';
import { createCircuitTable, manualClock } from '../../support/circuit-table';
import { chargeBody, instantTiming } from '../../support/connectors';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';
import { lambdaContext } from '../../support/lambda-context';
import { ScriptedServer } from '../../support/scripted-server';
import { waitFor } from '../../support/wait';

// The processor with real parts: Powertools idempotency on dynalite, the real PaymentConnector
// over HTTP to a scripted provider, and (where a test is about it) the real circuit breaker.

const IDEMPOTENCY_TABLE = 'payment-idempotency';
const CIRCUIT_TABLE = 'payment-circuits';

let dynamo: RunningDynalite;
let provider: ScriptedServer;
let counter = 0;
let transactionId: string;

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createIdempotencyTable(IDEMPOTENCY_TABLE);
  await createCircuitTable(dynamo.client, CIRCUIT_TABLE);
  provider = await new ScriptedServer({ status: 200, body: chargeBody() }).start();
});

afterAll(async () => {
  await provider?.stop();
  await dynamo?.stop();
});

beforeEach(() => {
  provider.reset();
  transactionId = `txn-${++counter}`;
});

const serverError = { status: 500, body: { error: { type: 'api_error', message: 'boom' } } };

function correlation(clientId = 'client-a'): RequestCorrelation {
  return {
    correlationId: 'corr-1',
    causationId: 'req-1',
    requestId: 'req-1',
    clientId,
    userId: clientId,
    rejectedCorrelationId: false,
  };
}

function payment(overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return { transaction_id: transactionId, amount: 6100, currency: 'EUR', source: 'tok_visa', ...overrides };
}

interface Setup {
  readonly breaker?: CircuitBreakerHook;
  readonly attemptTimeoutMs?: number;
  readonly processor?: Partial<Omit<PaymentProcessorDependencies, 'connector' | 'persistenceStore'>>;
}

function processor(setup: Setup = {}): PaymentProcessor {
  const contract = setup.attemptTimeoutMs
    ? {
        ...PAYMENT_CONTRACT,
        errorHandling: { ...PAYMENT_CONTRACT.errorHandling, timeoutMs: setup.attemptTimeoutMs },
      }
    : PAYMENT_CONTRACT;
  const connector = new PaymentConnector(
    {
      baseUrl: provider.url,
      credentials: staticCredentials({ api_key: 'sk_test_unit' }),
      timing: instantTiming(),
      ...(setup.breaker ? { breaker: setup.breaker } : {}),
    },
    contract,
  );
  return new PaymentProcessor({
    connector,
    persistenceStore: dynamoDbPersistence(IDEMPOTENCY_TABLE, dynamo.client),
    ...setup.processor,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('The payment went through');
    },
    (error: unknown) => error,
  );
}

const chargeRequests = () => provider.received.filter((request) => request.url === '/v1/charges');

describe('PaymentProcessor: charging once per transaction', () => {
  it('charges the card and answers the completed payment', async () => {
    const result = await processor().process(
      { payment: payment(), correlation: correlation() },
      lambdaContext(),
    );
    expect(result).toEqual({
      transaction_id: transactionId,
      status: 'completed',
      charge_id: 'ch_3Pabc',
      amount: 6100,
      currency: 'EUR',
      replayed: false,
    });
    const [sent] = chargeRequests();
    expect(sent?.headers['idempotency-key']).toBe(outboundIdempotencyKey('client-a', transactionId));
    expect(sent?.headers['x-correlation-id']).toBe('corr-1');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      amount: 6100,
      currency: 'eur',
      source: 'tok_visa',
      metadata: { transaction_id: transactionId, client_id: 'client-a' },
    });
  });

  it('derives the outbound Idempotency-Key from the client and the transaction id alone', () => {
    expect(outboundIdempotencyKey('client-a', 'txn-123')).toBe('payment:client-a:txn-123');
    expect(outboundIdempotencyKey('client-b', 'txn-123')).not.toBe(
      outboundIdempotencyKey('client-a', 'txn-123'),
    );
  });

  it('answers the same transaction again from the stored result, without calling the provider', async () => {
    const first = await processor().process(
      { payment: payment(), correlation: correlation() },
      lambdaContext(),
    );
    const again = await processor().process(
      { payment: payment(), correlation: correlation() },
      lambdaContext(),
    );
    expect(again).toEqual({ ...first, replayed: true });
    expect(chargeRequests()).toHaveLength(1);
  });

  it('refuses the same transaction id with another body, without calling the provider again', async () => {
    await processor().process({ payment: payment(), correlation: correlation() }, lambdaContext());
    const error = await failure(
      processor().process(
        { payment: payment({ amount: 9900 }), correlation: correlation() },
        lambdaContext(),
      ),
    );
    expect(error).toBeInstanceOf(TransactionReusedError);
    expect(error).toMatchObject({ status: 422 });
    expect(chargeRequests()).toHaveLength(1);
  });

  it('answers 409 while the same transaction is still in flight, and charges once', async () => {
    provider.reply('hang');
    const slow = processor({ processor: { budgetMs: 600, reserveMs: 100 } });
    const first = failure(slow.process({ payment: payment(), correlation: correlation() }, lambdaContext()));
    await waitFor(() => (chargeRequests().length === 1 ? true : undefined), 'the first charge in flight');

    const second = await failure(
      processor().process({ payment: payment(), correlation: correlation() }, lambdaContext()),
    );
    expect(second).toBeInstanceOf(TransactionInProgressError);
    expect(second).toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS', status: 409, retryable: true });
    await expect(first).resolves.toBeInstanceOf(PaymentProviderTimeoutError);
    expect(chargeRequests()).toHaveLength(1);
  });

  it('keeps the transaction ids of different clients apart', async () => {
    await processor().process({ payment: payment(), correlation: correlation('client-a') }, lambdaContext());
    const other = await processor().process(
      { payment: payment({ amount: 100 }), correlation: correlation('client-b') },
      lambdaContext(),
    );
    expect(other.replayed).toBe(false);
    expect(chargeRequests().map((request) => request.headers['idempotency-key'])).toEqual([
      outboundIdempotencyKey('client-a', transactionId),
      outboundIdempotencyKey('client-b', transactionId),
    ]);
  });

  it('answers a pending charge as pending', async () => {
    provider.reply({ status: 200, body: chargeBody({ status: 'pending', paid: false }) });
    const result = await processor().process(
      { payment: payment(), correlation: correlation() },
      lambdaContext(),
    );
    expect(result.status).toBe('pending');
  });
});

describe('PaymentProcessor: declines and provider failures', () => {
  it('turns a decline into PAYMENT_DECLINED with the decline code, and answers a repeat with the same decline', async () => {
    provider.reply({
      status: 402,
      body: {
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'insufficient_funds',
          message: 'Your card has insufficient funds.',
          charge: 'ch_declined',
        },
      },
    });
    const declined = await failure(
      processor().process({ payment: payment(), correlation: correlation() }, lambdaContext()),
    );
    expect(declined).toBeInstanceOf(PaymentDeclinedError);
    expect(declined).toMatchObject({
      code: 'PAYMENT_DECLINED',
      status: 402,
      reason: 'insufficient_funds',
      message: 'The payment was declined (insufficient_funds)',
    });
    const again = await failure(
      processor().process({ payment: payment(), correlation: correlation() }, lambdaContext()),
    );
    expect(again).toMatchObject({
      code: 'PAYMENT_DECLINED',
      reason: 'insufficient_funds',
      chargeId: 'ch_declined',
    });
    expect(chargeRequests()).toHaveLength(1);
  });

  it('retries a failing provider with one key, and charges once', async () => {
    provider.reply(serverError, serverError);
    const result = await processor().process(
      { payment: payment(), correlation: correlation() },
      lambdaContext(),
    );
    expect(result.status).toBe('completed');
    const keys = chargeRequests().map((request) => request.headers['idempotency-key']);
    expect(keys).toEqual(Array(3).fill(outboundIdempotencyKey('client-a', transactionId)));
  });

  it('answers PROVIDER_UNAVAILABLE when the retries run out, and lets the same transaction be tried again', async () => {
    provider.reply(serverError, serverError, serverError, serverError);
    const error = await failure(
      processor().process({ payment: payment(), correlation: correlation() }, lambdaContext()),
    );
    expect(error).toBeInstanceOf(PaymentProviderUnavailableError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 503, retryable: true });
    expect(chargeRequests()).toHaveLength(4);

    const retried = await processor().process(
      { payment: payment(), correlation: correlation() },
      lambdaContext(),
    );
    expect(retried).toMatchObject({ status: 'completed', replayed: false });
    expect(chargeRequests().at(-1)?.headers['idempotency-key']).toBe(
      outboundIdempotencyKey('client-a', transactionId),
    );
  });

  it('answers PROVIDER_UNAVAILABLE with the wait while the circuit is open, without calling the provider', async () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker({
      tableName: CIRCUIT_TABLE,
      provider: `payment-${counter}`,
      client: dynamo.client,
      failureThreshold: 1,
      windowMs: 60_000,
      openMs: 30_000,
      cacheTtlMs: 0,
      now: clock.now,
    });
    provider.reply(serverError, serverError, serverError, serverError);
    await failure(
      processor({ breaker }).process({ payment: payment(), correlation: correlation() }, lambdaContext()),
    );
    const calls = chargeRequests().length;

    clock.advance(10_000);
    const error = await failure(
      processor({ breaker }).process(
        { payment: payment({ transaction_id: `${transactionId}-b` }), correlation: correlation() },
        lambdaContext(),
      ),
    );
    expect(error).toBeInstanceOf(PaymentProviderUnavailableError);
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: 20 });
    expect(chargeRequests()).toHaveLength(calls);
  });

  it("keeps a provider's refusal an integration failure (502): it is not the client's fault", async () => {
    provider.reply({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'parameter_invalid_integer', message: 'bad' } },
    });
    const error = await failure(
      processor().process({ payment: payment(), correlation: correlation() }, lambdaContext()),
    );
    expect(error).toBeInstanceOf(JunctionError);
    expect(error).toMatchObject({ code: 'INTEGRATION_FAILURE', status: 502 });
  });
});

describe('PaymentProcessor: the time budget', () => {
  it('gives up at the end of its budget with PROVIDER_TIMEOUT, cancelling the call in flight', async () => {
    provider.reply('hang');
    const error = await failure(
      processor({ processor: { budgetMs: 300, reserveMs: 100 } }).process(
        { payment: payment(), correlation: correlation() },
        lambdaContext(),
      ),
    );
    expect(error).toBeInstanceOf(PaymentProviderTimeoutError);
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT', status: 504, budgetMs: 200 });
    // The contract's own timeout is 10 s per attempt: only the budget's signal ends this call.
    expect(chargeRequests()).toHaveLength(1);
  });

  it("never plans past the Lambda's remaining time", async () => {
    provider.reply('hang');
    const error = await failure(
      processor({ processor: { budgetMs: 5000, reserveMs: 100 } }).process(
        { payment: payment(), correlation: correlation() },
        lambdaContext('process-payment', 400),
      ),
    );
    expect(error).toBeInstanceOf(PaymentProviderTimeoutError);
    expect((error as PaymentProviderTimeoutError).budgetMs).toBeLessThanOrEqual(300);
    expect(chargeRequests()).toHaveLength(1);
  });

  it('fails at once, calling nobody, when no time is left for the provider', async () => {
    const error = await failure(
      processor({ processor: { reserveMs: 500 } }).process(
        { payment: payment(), correlation: correlation() },
        lambdaContext('process-payment', 200),
      ),
    );
    expect(error).toBeInstanceOf(PaymentProviderTimeoutError);
    expect(chargeRequests()).toHaveLength(0);
  });

  it('answers PROVIDER_TIMEOUT when every attempt times out within the budget', async () => {
    provider.reply('hang', 'hang', 'hang', 'hang');
    const error = await failure(
      processor({ attemptTimeoutMs: 50 }).process(
        { payment: payment(), correlation: correlation() },
        lambdaContext(),
      ),
    );
    expect(error).toBeInstanceOf(PaymentProviderTimeoutError);
    expect(chargeRequests()).toHaveLength(4);
  });

  it('refuses a budget that leaves nothing for the provider', () => {
    expect(() => processor({ processor: { budgetMs: 500, reserveMs: 500 } })).toThrow(
      'budgetMs (500) must be larger than reserveMs (500)',
    );
  });
});
