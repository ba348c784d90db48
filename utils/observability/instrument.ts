import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools';

/**
 * Counts cold starts and flushes the metrics an invocation stored. Unlike Powertools' logMetrics,
 * it says nothing when none were stored: Junction emits most metrics as single metrics with their
 * own dimensions, so an empty store is normal, not a mistake worth a log line per invocation.
 */
function flushStoredMetrics(): MiddlewareObj {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: async (request) => {
      metrics.captureColdStartMetric((request.context as Context | undefined)?.functionName);
    },
    after: flush,
    onError: flush,
  };
}

/**
 * Wraps a handler with the Powertools middlewares every function uses: the Lambda context in
 * logs (keys reset per invocation), a traced handler segment (responses are never recorded: they
 * may hold personal data) and metrics flushed per invocation, with cold starts counted.
 */
export function instrument<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy(handler)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(flushStoredMetrics());
}
