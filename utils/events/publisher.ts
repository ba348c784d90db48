import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { EventPublishError } from '../http/errors';
import { InvalidEventError } from '../messaging/errors';
import { recordEventPut } from '../observability/event-metrics';
import { currentTraceHeader } from '../observability/trace-header';
import { describeIssues } from '../validation/issues';
import { validateEventData } from './catalog';
import { type Envelope, EnvelopeSchema } from './envelope';

/**
 * An event the catalog does not accept (unknown type or version, or data that breaks its schema);
 * nothing was sent. Deliberately not an InvalidEventError: a queue consumer that publishes would
 * take that for a broken input message and dead-letter it.
 */
export class UnpublishableEventError extends Error {
  constructor(envelope: Envelope, cause: Error) {
    super(`Refusing to publish ${envelope.type} ${envelope.version}: ${cause.message}`, { cause });
    this.name = 'UnpublishableEventError';
  }
}

/**
 * Puts envelopes on the bus, after checking `data` against the catalog schema of their type and
 * version. Any entry EventBridge rejects is an error, never a silent drop.
 */
export class EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(envelope: Envelope): Promise<void> {
    const checked = EnvelopeSchema.safeParse(envelope);
    if (!checked.success) {
      throw new Error(`Refusing to publish an invalid envelope (${describeIssues(checked.error)})`);
    }
    try {
      validateEventData(envelope.type, envelope.version, envelope.data);
    } catch (error) {
      if (error instanceof InvalidEventError) throw new UnpublishableEventError(envelope, error);
      throw error;
    }
    const traceHeader = currentTraceHeader();
    const command = new PutEventsCommand({
      Entries: [
        {
          EventBusName: this.eventBusName,
          Source: envelope.source,
          DetailType: envelope.type,
          Detail: JSON.stringify(envelope),
          Time: new Date(envelope.timestamp),
          // EventBridge carries it on to the targets, so the trace crosses the bus.
          ...(traceHeader ? { TraceHeader: traceHeader } : {}),
        },
      ],
    });
    let output: PutEventsCommandOutput;
    try {
      output = await this.client.send(command);
    } catch (error) {
      recordEventPut(envelope.type, false);
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new EventPublishError([{ code: name, message }], { cause: error });
    }
    if ((output.FailedEntryCount ?? 0) > 0) {
      recordEventPut(envelope.type, false);
      const failed = (output.Entries ?? [])
        .filter((entry) => entry.ErrorCode !== undefined)
        .map((entry) => ({ code: entry.ErrorCode ?? 'Unknown', message: entry.ErrorMessage ?? '' }));
      throw new EventPublishError(failed);
    }
    recordEventPut(envelope.type, true);
  }
}
