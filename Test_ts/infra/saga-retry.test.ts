import { Duration } from 'aws-cdk-lib';
import { LAMBDA_TRANSIENT_ERRORS } from '../../lib/orchestration/saga';
import { COMPENSATION_DEFAULT, JITTERED_DEFAULT, orderSaga } from '../fixtures/orchestration/order-saga';
import { stateOf } from '../support/state-machine-definition';

const TASKS = [
  'reserveStock',
  'chargePayment',
  'createInvoice',
  'sendEmail',
  'notifyCrm',
  'Compensate reserveStock',
  'Compensate chargePayment',
  'Compensate createInvoice',
  'Handle success',
  'Handle failure',
];

describe('Saga definition: retries', () => {
  it.each(TASKS)('retries %s on transient errors with full jitter', (name) => {
    const { definition } = orderSaga();
    const retriers = stateOf(definition, name).Retry ?? [];
    expect(retriers.at(-1)).toMatchObject({
      JitterStrategy: 'FULL',
      IntervalSeconds: expect.any(Number),
      BackoffRate: expect.any(Number),
      MaxAttempts: expect.any(Number),
      MaxDelaySeconds: expect.any(Number),
    });
  });

  it('retries Lambda service errors by default: 1 s, doubling, 3 attempts, at most 20 s apart', () => {
    const { definition } = orderSaga();
    expect(stateOf(definition, 'reserveStock').Retry).toEqual([JITTERED_DEFAULT]);
    expect(stateOf(definition, 'Handle failure').Retry).toEqual([JITTERED_DEFAULT]);
  });

  it("takes a step's own policy over the saga's, and the saga's over the defaults", () => {
    const { definition } = orderSaga({
      retry: { interval: Duration.seconds(3), maxDelay: Duration.seconds(45) },
    });
    expect(stateOf(definition, 'reserveStock').Retry).toEqual([
      { ...JITTERED_DEFAULT, IntervalSeconds: 3, MaxDelaySeconds: 45 },
    ]);
    expect(stateOf(definition, 'chargePayment').Retry?.at(-1)).toEqual({
      ...JITTERED_DEFAULT,
      ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS, 'PaymentProviderUnavailable'],
      IntervalSeconds: 3,
      MaxDelaySeconds: 45,
      MaxAttempts: 4,
    });
  });

  it('never retries a business error: a retrier with MaxAttempts 0 comes before the transient one', () => {
    const { definition } = orderSaga({}, { chargePayment: { retry: { errors: ['States.ALL'] } } });
    expect(stateOf(definition, 'chargePayment').Retry).toEqual([
      { ErrorEquals: ['PaymentDeclinedError'], MaxAttempts: 0 },
      { ...JITTERED_DEFAULT, ErrorEquals: ['States.ALL'] },
    ]);
  });

  it('retries compensations harder by default, and with the given policy when there is one', () => {
    expect(stateOf(orderSaga().definition, 'Compensate chargePayment').Retry).toEqual([COMPENSATION_DEFAULT]);
    const tuned = orderSaga({ compensationRetry: { maxAttempts: 10, maxDelay: Duration.minutes(5) } });
    expect(stateOf(tuned.definition, 'Compensate reserveStock').Retry).toEqual([
      { ...COMPENSATION_DEFAULT, MaxAttempts: 10, MaxDelaySeconds: 300 },
    ]);
  });
});
