import { logger, tracer } from '../../../utils/observability/powertools';
import { applyTraceKeys, keysOfEnvelope, keysOfQueuedBody } from '../../../utils/observability/trace-keys';
import { captureStdout } from '../../support/stdout';

const envelope = {
  id: 'evt-0001',
  type: 'order.created',
  version: '1.2',
  timestamp: '2026-01-15T10:00:00Z',
  source: 'junction.orders',
  data: { order_id: 'ord-1001', customer: { email: 'ada@example.com' } },
  metadata: { correlation_id: 'corr-1', causation_id: 'req-1' },
};

describe('keysOfEnvelope', () => {
  it('takes the correlation and causation ids, the event id and type, and the order id', () => {
    expect(keysOfEnvelope(envelope)).toEqual({
      correlation_id: 'corr-1',
      causation_id: 'req-1',
      event_id: 'evt-0001',
      event_type: 'order.created',
      order_id: 'ord-1001',
    });
  });

  it('leaves out what the event does not carry, and finds nothing in what is not an envelope', () => {
    expect(keysOfEnvelope({ ...envelope, data: {}, metadata: { correlation_id: 'corr-2' } })).toEqual({
      correlation_id: 'corr-2',
      event_id: 'evt-0001',
      event_type: 'order.created',
    });
    for (const value of [undefined, null, 'text', {}, { metadata: { correlation_id: 7 } }]) {
      expect(keysOfEnvelope(value)).toBeUndefined();
    }
  });
});

describe('keysOfQueuedBody', () => {
  it('reads the envelope from the detail of an EventBridge event, or from the body itself', () => {
    expect(
      keysOfQueuedBody(JSON.stringify({ 'detail-type': 'order.created', detail: envelope })),
    ).toMatchObject({
      correlation_id: 'corr-1',
    });
    expect(keysOfQueuedBody(JSON.stringify(envelope))).toMatchObject({ correlation_id: 'corr-1' });
  });

  it('finds nothing in a body that is not JSON', () => {
    expect(keysOfQueuedBody('{not json')).toBeUndefined();
  });
});

describe('applyTraceKeys', () => {
  it('puts the keys on every log line until they are removed', () => {
    logger.setLogLevel('INFO');
    const stdout = captureStdout();
    try {
      const remove = applyTraceKeys({
        correlation_id: 'corr-1',
        causation_id: 'req-1',
        order_id: 'ord-1001',
      });
      logger.info('inside');
      remove();
      logger.info('outside');
    } finally {
      stdout.restore();
      logger.setLogLevel('SILENT');
    }
    const [inside, outside] = stdout.json();
    expect(inside).toMatchObject({
      message: 'inside',
      correlation_id: 'corr-1',
      causation_id: 'req-1',
      order_id: 'ord-1001',
    });
    expect(outside).not.toHaveProperty('correlation_id');
    expect(outside).not.toHaveProperty('order_id');
  });

  it('annotates the trace with the searchable keys only: correlation id, order id, event type', () => {
    const annotate = jest.spyOn(tracer, 'putAnnotation').mockImplementation(() => undefined);
    try {
      applyTraceKeys(keysOfEnvelope(envelope) ?? { correlation_id: 'missing' })();
      expect(annotate.mock.calls).toEqual([
        ['correlation_id', 'corr-1'],
        ['order_id', 'ord-1001'],
        ['event_type', 'order.created'],
      ]);
    } finally {
      annotate.mockRestore();
    }
  });
});
