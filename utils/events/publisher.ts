import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import { EventPublishError } from '../http/errors';
import { describeIssues } from '../validation/issues';
import { type Envelope, EnvelopeSchema } from './envelope';

/** Puts envelopes on the bus. Any entry EventBridge rejects is an error, never a silent drop. */
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
    const command = new PutEventsCommand({
      Entries: [
        {
          EventBusName: this.eventBusName,
          Source: envelope.source,
          DetailType: envelope.type,
          Detail: JSON.stringify(envelope),
          Time: new Date(envelope.timestamp),
        },
      ],
    });
    let output: PutEventsCommandOutput;
    try {
      output = await this.client.send(command);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new EventPublishError([{ code: name, message }], { cause: error });
    }
    if ((output.FailedEntryCount ?? 0) > 0) {
      const failed = (output.Entries ?? [])
        .filter((entry) => entry.ErrorCode !== undefined)
        .map((entry) => ({ code: entry.ErrorCode ?? 'Unknown', message: entry.ErrorMessage ?? '' }));
      throw new EventPublishError(failed);
    }
  }
}
