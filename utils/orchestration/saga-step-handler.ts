import type { Context } from 'aws-lambda';
import { instrument } from '../observability/instrument';
import { logger } from '../observability/powertools';
import { applyTraceKeys, keysOfEnvelope } from '../observability/trace-keys';

/** What the Saga construct hands every step, compensation and handler (see lib/orchestration/saga.ts). */
export interface SagaPayload {
  /** The saga's input: the event envelope that started it. */
  readonly input: unknown;
  readonly saga: { readonly executionName: string; readonly stepId?: string };
}

/**
 * A saga step's Lambda handler: every log line carries the correlation keys of the event that
 * started the saga (and the trace is annotated with them), and the step ends with one line saying
 * how it went and how long it took, so `ops trace` can show the saga's timeline. Errors are
 * thrown on unchanged: Step Functions retries and catches them by name.
 */
export function sagaStepHandler<P extends SagaPayload, R>(
  step: string,
  work: (payload: P) => Promise<R> | R,
) {
  return instrument(async (payload: P, _context: Context) => {
    const keys = keysOfEnvelope(payload.input);
    if (keys) applyTraceKeys(keys);
    logger.appendKeys({ step, execution_name: payload.saga.executionName });
    const started = performance.now();
    const duration = () => Math.round(performance.now() - started);
    try {
      const result = await work(payload);
      logger.info('Saga step succeeded', { duration_ms: duration() });
      return result;
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      logger.warn('Saga step failed', { duration_ms: duration(), error_name: name, error_message: message });
      throw error;
    }
  });
}
