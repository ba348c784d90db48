// Lambda's X-Ray header: `Root=1-<8 hex>-<24 hex>;Parent=…;Sampled=…`.
const TRACE_HEADER = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}(;[A-Za-z]+=[^;]*)*$/;

/**
 * The X-Ray trace header of the current invocation (Lambda sets `_X_AMZN_TRACE_ID`), to hand on
 * where AWS does not carry it by itself: PutEvents entries and StartExecution. Undefined outside
 * Lambda or when the header is unusable, so nothing is sent.
 */
export function currentTraceHeader(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const header = env._X_AMZN_TRACE_ID;
  return header !== undefined && header.length <= 256 && TRACE_HEADER.test(header) ? header : undefined;
}
