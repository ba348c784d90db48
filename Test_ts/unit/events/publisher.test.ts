import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { createEnvelope } from '../../../utils/events/envelope';
import { EventPublisher } from '../../../utils/events/publisher';
import { EventPublishError } from '../../../utils/http/errors';

const eventBridge = mockClient(EventBridgeClient);
const envelope = createEnvelope({
  type: 'order.created',
  version: '1.0',
  source: 'junction.orders',
  data: { order_id: 'ord-1' },
  metadata: { correlation_id: 'c', causation_id: 'r' },
});

describe('EventPublisher', () => {
  beforeEach(() => eventBridge.reset());

  it('puts the envelope as detail, with its type as detail-type and its source as source', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
    const publisher = new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus');

    await publisher.publish(envelope);

    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: 'junction-bus',
          Source: 'junction.orders',
          DetailType: 'order.created',
          Detail: JSON.stringify(envelope),
          Time: new Date(envelope.timestamp),
        },
      ],
    });
  });

  it('treats a failed entry as an error: an event is never silently dropped', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    const publisher = new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus');

    await expect(publisher.publish(envelope)).rejects.toThrow(EventPublishError);
    await expect(publisher.publish(envelope)).rejects.toThrow('InternalFailure: try again');
  });

  it('turns a failed call into a retryable publish error', async () => {
    eventBridge
      .on(PutEventsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const publisher = new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus');

    const error = await publisher.publish(envelope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).retryable).toBe(true);
    expect((error as EventPublishError).message).toContain('ThrottlingException: Rate exceeded');
  });

  it('refuses to put an event that is not a valid envelope', async () => {
    const publisher = new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus');
    await expect(publisher.publish({ ...envelope, version: 'one' })).rejects.toThrow(/version/);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });
});
