import { createHash } from 'node:crypto';
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { currentTraceHeader } from '../observability/trace-header';

// Step Functions execution names: 1–80 characters, letters, digits, '-' and '_'.
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The execution name for an event: its id, or a digest of it when the id is not a valid name.
 * A Standard workflow refuses a second execution with a name used in the last 90 days, so the
 * same event delivered twice (EventBridge is at least once) starts one execution.
 */
export function executionNameFor(eventId: string): string {
  if (EXECUTION_NAME.test(eventId)) return eventId;
  return `evt-${createHash('sha256').update(eventId).digest('hex')}`;
}

export interface SagaStart {
  /** False when an execution of this name had already run (or runs with another input). */
  readonly started: boolean;
  readonly executionName: string;
}

/** Starts the saga for an event once; an execution that already exists for it counts as started. */
export async function startSagaOnce(
  client: SFNClient,
  stateMachineArn: string,
  envelope: { readonly id: string },
): Promise<SagaStart> {
  const executionName = executionNameFor(envelope.id);
  const traceHeader = currentTraceHeader();
  try {
    await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: executionName,
        input: JSON.stringify(envelope),
        // The execution joins the starter's trace.
        ...(traceHeader ? { traceHeader } : {}),
      }),
    );
    return { started: true, executionName };
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return { started: false, executionName };
    throw error;
  }
}
