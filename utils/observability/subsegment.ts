import { tracer } from './powertools';

/**
 * Runs `work` in an X-Ray subsegment of the current segment, named for what it calls (a
 * provider), with low-cardinality metadata. The HTTP call inside it is traced by Powertools'
 * fetch instrumentation, so the trace shows `payment` ▸ `api.stripe.com`. Without tracing (tests,
 * the local cloud) it only runs the work.
 */
export async function inSubsegment<T>(
  name: string,
  metadata: Readonly<Record<string, string>>,
  work: () => Promise<T>,
): Promise<T> {
  const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
  if (!parent) return work();
  const subsegment = parent.addNewSubsegment(name);
  for (const [key, value] of Object.entries(metadata)) subsegment.addMetadata(key, value);
  tracer.setSegment(subsegment);
  try {
    return await work();
  } catch (error) {
    subsegment.addError(error as Error);
    throw error;
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}
