import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { SandboxProviders } from '../../../local/providers';
import { PaymentConnector } from '../../../utils/connectors/payment';
import { dynamoDbPersistence } from '../../../utils/idempotency/store';
import { answerPaymentRequest } from '../../../utils/payments/payment-api';
import { PaymentProcessor, type PaymentProcessorDependencies } from '../../../utils/payments/process-payment';
import { CircuitBreaker } from '../../../utils/resilience/circuit-breaker';
import { staticCredentials } from '../../../utils/security/credentials';
import { createCircuitTable, type ManualClock, manualClock } from '../../support/circuit-table';
import { instantTiming } from '../../support/connectors';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';
import { lambdaContext } from '../../support/lambda-context';
import { postPaymentEvent } from '../../support/payment-events';
import {
  callsTo,
  paymentContractWithTimeout,
  SANDBOX_CREDENTIALS,
  startSandbox,
} from '../../support/sandbox-providers';
import { waitFor } from '../../support/wait';

// POST /api/v1/integrations/payment/process from the request to the answer with real parts: the
// Stripe-like sandbox over HTTP (its fault switches and its ledger), Powertools idempotency and the
// shared circuit breaker on dynalite. The clock of the breaker is moved by hand.

const IDEMPOTENCY_TABLE = 'idempotency';
const FAILURE_THRESHOLD = 2;
const OPEN_MS = 30_000;

let providers: SandboxProviders;
let draws: (...values: number[]) => void;
let dynamo: RunningDynalite;
let clock: ManualClock;
let circuitTable: string;
let counter = 0;

beforeAll(async () => {
  ({ providers, draws } = await startSandbox());
  dynamo = await startDynalite();
  await dynamo.createIdempotencyTable(IDEMPOTENCY_TABLE);
});

beforeEach(async () => {
  clock = manualClock();
  circuitTable = `circuits-${++counter}`;
  await createCircuitTable(dynamo.client, circuitTable);
});

afterEach(() => providers.payment.reset());

afterAll(async () => {
  await providers?.stop();
  await dynamo?.stop();
});

function endpoint(options: Partial<PaymentProcessorDependencies> & { attemptTimeout?: string } = {}) {
  const { attemptTimeout, ...dependencies } = options;
  const breaker = new CircuitBreaker({
    tableName: circuitTable,
    provider: 'payment',
    client: dynamo.client,
    failureThreshold: FAILURE_THRESHOLD,
    windowMs: 60_000,
    openMs: OPEN_MS,
    cacheTtlMs: 0,
    now: clock.now,
  });
  const connector = new PaymentConnector(
    {
      baseUrl: providers.payment.url,
      credentials: staticCredentials({ api_key: SANDBOX_CREDENTIALS.payment }),
      timing: instantTiming(),
      breaker,
    },
    ...(attemptTimeout ? [paymentContractWithTimeout(attemptTimeout)] : []),
  );
  const processor = new PaymentProcessor({
    connector,
    persistenceStore: dynamoDbPersistence(IDEMPOTENCY_TABLE, dynamo.client),
    ...dependencies,
  });
  return async (event: APIGatewayProxyEvent) => {
    const response = await answerPaymentRequest(processor, event, lambdaContext('process-payment'));
    return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
  };
}

const chargeCalls = () => callsTo(providers.payment, 'POST', '/v1/charges');
/** Charges the provider created: answers 200 that are not replays of an earlier answer. */
const chargesCreated = () => chargeCalls().filter((call) => call.status === 200 && !call.replayed);
const transaction = () => `txn-it-${counter}`;
const pay = (payment: Record<string, unknown> = {}) =>
  postPaymentEvent({ payment: { transaction_id: transaction(), ...payment } });

describe('POST /api/v1/integrations/payment/process against the payment sandbox', () => {
  it('charges the card once and answers the completed payment', async () => {
    const response = await endpoint()(pay());

    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({
      success: true,
      transaction_id: transaction(),
      status: 'completed',
      amount: 6100,
      currency: 'EUR',
    });
    const [created] = chargesCreated();
    expect(response.json.charge_id).toBe((created?.responseBody as { id?: string } | undefined)?.id);
    expect(created?.idempotencyKey).toBe(`payment:demo-partner-client:${transaction()}`);
    expect(created?.requestBody).toMatchObject({ amount: 6100, currency: 'eur', source: 'tok_visa' });
  });

  it('answers a declined card with 402 PAYMENT_DECLINED and its decline code', async () => {
    const response = await endpoint()(pay({ source: 'tok_chargeDeclinedInsufficientFunds' }));

    expect(response.statusCode).toBe(402);
    expect(response.json).toMatchObject({
      success: false,
      error_code: 'PAYMENT_DECLINED',
      error_message: 'The payment was declined (insufficient_funds)',
      decline_reason: 'insufficient_funds',
    });
    expect(chargeCalls()).toHaveLength(1);
  });

  it('retries a failing provider with one Idempotency-Key and charges once', async () => {
    providers.payment.setFaults({ errorRate: 0.5, errorStatus: 500 });
    draws(0.1, 0.1, 0.9);
    const response = await endpoint()(pay());

    expect(response.statusCode).toBe(200);
    expect(chargeCalls().map((call) => call.status)).toEqual([500, 500, 200]);
    expect(new Set(chargeCalls().map((call) => call.idempotencyKey)).size).toBe(1);
    expect(chargesCreated()).toHaveLength(1);
  });

  it('charges a transaction once however often it is sent', async () => {
    const call = endpoint();
    const first = await call(pay());
    const second = await call(pay());

    expect(second.statusCode).toBe(200);
    expect(second.headers?.['Idempotent-Replayed']).toBe('true');
    expect(second.json.charge_id).toBe(first.json.charge_id);
    expect(chargeCalls()).toHaveLength(1);

    const changed = await call(pay({ amount: 100 }));
    expect(changed.statusCode).toBe(422);
    expect(changed.json.error_code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(chargeCalls()).toHaveLength(1);
  });

  it('opens the circuit when the provider is down, then answers 503 at once without calling it, and closes when it is back', async () => {
    providers.payment.setFaults({ errorRate: 1, errorStatus: 503 });
    const call = endpoint();
    for (let failed = 1; failed <= FAILURE_THRESHOLD; failed += 1) {
      const response = await call(pay({ transaction_id: `${transaction()}-${failed}` }));
      expect(response.statusCode).toBe(503);
      expect(response.json.error_code).toBe('PROVIDER_UNAVAILABLE');
    }
    const callsWhileClosed = chargeCalls().length;
    expect(callsWhileClosed).toBe(FAILURE_THRESHOLD * 4);

    clock.advance(5_000);
    const refused = await call(pay({ transaction_id: `${transaction()}-open` }));
    expect(refused.statusCode).toBe(503);
    expect(refused.json).toMatchObject({ success: false, error_code: 'PROVIDER_UNAVAILABLE' });
    expect(refused.headers?.['Retry-After']).toBe(String((OPEN_MS - 5_000) / 1000));
    expect(chargeCalls()).toHaveLength(callsWhileClosed);

    providers.payment.setFaults({ errorRate: 0 });
    clock.advance(OPEN_MS);
    const probe = await call(pay({ transaction_id: `${transaction()}-1` }));
    expect(probe.statusCode).toBe(200);
    expect(chargesCreated()).toHaveLength(1);
    // The first failed transaction, sent again, reached the provider with the key it had then.
    expect(chargesCreated()[0]?.idempotencyKey).toBe(chargeCalls()[0]?.idempotencyKey);
  });

  it('answers 504 PROVIDER_TIMEOUT at the end of its budget, and a retry of the transaction charges once', async () => {
    providers.payment.setFaults({ timeoutRate: 1 });
    const slow = await endpoint({ budgetMs: 400, reserveMs: 100 })(pay());
    expect(slow.statusCode).toBe(504);
    expect(slow.json).toMatchObject({ success: false, error_code: 'PROVIDER_TIMEOUT' });
    expect(slow.headers?.['Retry-After']).toBe('1');

    providers.payment.setFaults({ timeoutRate: 0 });
    const retried = await endpoint()(pay());
    expect(retried.statusCode).toBe(200);
    expect(chargesCreated()).toHaveLength(1);
  });

  it('answers 504 PROVIDER_TIMEOUT when every attempt times out', async () => {
    providers.payment.setFaults({ timeoutRate: 1 });
    const response = await endpoint({ attemptTimeout: '50ms' })(pay());
    expect(response.statusCode).toBe(504);
    expect(response.json.error_code).toBe('PROVIDER_TIMEOUT');
    // The sandbox records a timed-out call when the client closes the socket.
    await waitFor(() => (chargeCalls().length === 4 ? true : undefined), 'four timed-out attempts');
    expect(chargesCreated()).toHaveLength(0);
  });
});
