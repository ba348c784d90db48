import type { logger as Logger } from '../../../utils/observability/powertools';
import type { sagaStepHandler as SagaStepHandler } from '../../../utils/orchestration/saga-step-handler';
import { lambdaContext } from '../../support/lambda-context';
import { captureStderr, captureStdout } from '../../support/stdout';

const payload = {
  input: {
    id: 'evt-0001',
    type: 'order.created',
    data: { order_id: 'ord-1001' },
    metadata: { correlation_id: 'corr-1', causation_id: 'req-1' },
  },
  steps: {},
  saga: { executionName: 'evt-0001', stepId: 'charge' },
};

// Powertools restores the configured log level at each invocation: configure it before loading.
let logger: typeof Logger;
let sagaStepHandler: typeof SagaStepHandler;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  ({ logger } = await import('../../../utils/observability/powertools'));
  ({ sagaStepHandler } = await import('../../../utils/orchestration/saga-step-handler'));
});

type Payload = Omit<typeof payload, 'input'> & { input: unknown };

async function run(
  handler: (event: Payload, context: ReturnType<typeof lambdaContext>) => Promise<unknown>,
  given: Payload = payload,
) {
  // Powertools writes warnings and errors to stderr.
  const stdout = captureStdout();
  const stderr = captureStderr();
  let outcome: unknown;
  try {
    outcome = await handler(given, lambdaContext('charge-payment')).catch((error: unknown) => error);
  } finally {
    stdout.restore();
    stderr.restore();
  }
  return { outcome, lines: [...stdout.json(), ...stderr.json()].filter((line) => 'message' in line) };
}

describe('sagaStepHandler', () => {
  it("logs the step's outcome with the order's correlation keys on every line", async () => {
    const { outcome, lines } = await run(
      sagaStepHandler('charge', async () => {
        logger.info('charging');
        return { charge_id: 'ch_1' };
      }),
    );
    expect(outcome).toEqual({ charge_id: 'ch_1' });
    expect(lines.map((line) => line.message)).toEqual(['charging', 'Saga step succeeded']);
    for (const line of lines) {
      expect(line).toMatchObject({
        correlation_id: 'corr-1',
        causation_id: 'req-1',
        event_id: 'evt-0001',
        order_id: 'ord-1001',
        execution_name: 'evt-0001',
        step: 'charge',
      });
    }
    expect(lines[1]?.duration_ms).toEqual(expect.any(Number));
  });

  it('logs a failed step with its error name and throws the error on, for Step Functions to match', async () => {
    class PaymentDeclinedError extends Error {
      override name = 'PaymentDeclinedError';
    }
    const { outcome, lines } = await run(
      sagaStepHandler('charge', async () => {
        throw new PaymentDeclinedError('card_declined');
      }),
    );
    expect(outcome).toBeInstanceOf(PaymentDeclinedError);
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'Saga step failed',
        level: 'WARN',
        error_name: 'PaymentDeclinedError',
        correlation_id: 'corr-1',
      }),
    ]);
  });

  it('still runs a step whose input carries no envelope, without correlation keys', async () => {
    const { outcome, lines } = await run(
      sagaStepHandler('noop', async () => 'ok'),
      { ...payload, input: 'not an envelope' },
    );
    expect(outcome).toBe('ok');
    expect(lines[0]).toMatchObject({ message: 'Saga step succeeded' });
    expect(lines[0]).not.toHaveProperty('order_id');
  });
});
