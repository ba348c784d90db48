import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { createEnvelope, type Envelope } from '../../../utils/events/envelope';
import { EventPublisher, UnpublishableEventError } from '../../../utils/events/publisher';
import { EventPublishError } from '../../../utils/http/errors';
import { InvalidEventError } from '../../../utils/messaging/errors';
import { sampleJson } from '../../support/api-events';
import { captureEmf } from '../../support/emf';

const eventBridge = mockClient(EventBridgeClient);
const sample = sampleJson<{ detail: Envelope<Record<string, unknown>> }>('eventbridge/order-created.json');
const envelope = createEnvelope({
  type: 'order.created',
  version: '1.1',
  source: 'junction.orders',
  data: sample.detail.data,
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

  it('counts events put by type, and failed puts in one metric without dimensions, for one alarm', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const publisher = new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus');
    const emf = captureEmf();
    try {
      eventBridge
        .on(PutEventsCommand)
        .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] })
        .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] })
        .rejectsOnce(new Error('socket hang up'));
      await publisher.publish(envelope);
      await publisher.publish(envelope).catch(() => undefined);
      await publisher.publish(envelope).catch(() => undefined);
    } finally {
      emf.restore();
    }
    expect(emf.records('Events_Put_Total').map((record) => record.event_type)).toEqual(['order.created']);
    const failed = emf.records('Events_Put_Failed_Total');
    expect(failed).toHaveLength(2);
    expect(failed[0]?._aws).toMatchObject({ CloudWatchMetrics: [{ Dimensions: [] }] });
    expect(failed[0]?.event_type).toBe('order.created');
  });

  it('refuses to put an event that is not a valid envelope', async () => {
    const publisher = new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus');
    await expect(publisher.publish({ ...envelope, version: 'one' })).rejects.toThrow(/version/);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  describe('checks data against the catalog before anything is sent', () => {
    const publisher = () =>
      new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'junction-bus');

    async function refusal(candidate: Envelope): Promise<Error> {
      const error = await publisher()
        .publish(candidate)
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(UnpublishableEventError);
      expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
      return error as Error;
    }

    it('refuses data that breaks the schema of its type and version, naming the field', async () => {
      const error = await refusal({ ...envelope, data: { ...envelope.data, channel: 'carrier-pigeon' } });
      expect(error.message).toMatch(/^Refusing to publish order\.created 1\.1: .*data\.channel/);
    });

    it('refuses 1.1 data without the field 1.1 requires', async () => {
      const { channel: _dropped, ...data } = envelope.data;
      const error = await refusal({ ...envelope, data });
      expect(error.message).toContain('data.channel');
    });

    it('refuses an unknown type', async () => {
      const error = await refusal({ ...envelope, type: 'order.teleported' });
      expect(error.message).toBe(
        'Refusing to publish order.teleported 1.1: Unknown event type "order.teleported"',
      );
    });

    it('refuses a version the catalog does not know exactly', async () => {
      const error = await refusal({ ...envelope, version: '1.3' });
      expect(error.message).toContain('Event order.created version 1.3 is not supported');
    });

    it('is not an invalid-event error, so a consumer that publishes never dead-letters its own input for it', async () => {
      const error = await refusal({ ...envelope, type: 'order.teleported' });
      expect(error).not.toBeInstanceOf(InvalidEventError);
      expect(error.cause).toBeInstanceOf(InvalidEventError);
    });

    it('publishes an older version the catalog still knows', async () => {
      eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'eb-1' }] });
      const { channel: _dropped, customer, ...rest } = envelope.data;
      const { locale: _locale, ...v10Customer } = customer as Record<string, unknown>;
      await publisher().publish({ ...envelope, version: '1.0', data: { ...rest, customer: v10Customer } });
      expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    });
  });
});
