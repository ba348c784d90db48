import {
  type Delivery,
  DeliveryError,
  parseArn,
  resourceName,
  TargetDispatcher,
  type TargetKind,
} from '../../../../local/eventbridge/targets';

describe('parseArn', () => {
  it.each([
    ['arn:aws:sqs:us-east-1:000000000000:orders', 'sqs', 'orders'],
    ['arn:aws:lambda:us-east-1:000000000000:function:ingest', 'lambda', 'function:ingest'],
    ['arn:aws:lambda:us-east-1:000000000000:function:ingest:live', 'lambda', 'function:ingest:live'],
    ['arn:aws:states:us-east-1:000000000000:stateMachine:saga', 'states', 'stateMachine:saga'],
    [
      'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/audit:*',
      'logs',
      'log-group:/aws/events/audit:*',
    ],
    ['arn:aws:events:us-east-1:000000000000:event-bus/junction-bus', 'events', 'event-bus/junction-bus'],
    ['arn:aws-cn:sns:cn-north-1:000000000000:alerts', 'sns', 'alerts'],
  ])('splits %s into its service and resource', (arn, service, resource) => {
    expect(parseArn(arn)).toEqual({ service, resource });
  });

  it('answers empty parts for something that is not an ARN', () => {
    expect(parseArn('orders')).toEqual({ service: '', resource: '' });
  });
});

describe('resourceName', () => {
  it.each([
    ['lambda', 'function:ingest', 'ingest'],
    ['lambda', 'function:ingest:live', 'ingest'],
    ['states', 'stateMachine:saga', 'saga'],
    ['logs', 'log-group:/aws/events/audit:*', '/aws/events/audit'],
    ['logs', 'log-group:/aws/events/audit', '/aws/events/audit'],
    ['events', 'event-bus/junction-bus', 'junction-bus'],
    ['sqs', 'orders.fifo', 'orders.fifo'],
    ['sns', 'alerts', 'alerts'],
  ])('names the %s resource %s %s', (service, resource, name) => {
    expect(resourceName(service, resource)).toBe(name);
  });

  it.each([
    ['lambda', 'ingest'],
    ['states', 'saga'],
  ])('keeps a %s resource without a prefix as it is', (service, resource) => {
    expect(resourceName(service, resource)).toBe(resource);
  });
});

describe('DeliveryError', () => {
  it('is an Error named after its code, saying whether it may be retried', () => {
    const error = new DeliveryError('ThrottlingException', 'slow down', true);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      code: 'ThrottlingException',
      retryable: true,
    });
    expect(error.message).toBe('slow down');
  });
});

const delivery = (targetArn: string): Delivery => ({
  targetArn,
  input: '{"id":"evt-1"}',
  event: { id: 'evt-1' },
  messageGroupId: 'group-1',
});

function recordingKind(service: string) {
  const received: { name: string; delivery: Delivery }[] = [];
  const kind: TargetKind = {
    service,
    deliver: async (name, sent) => {
      received.push({ name, delivery: sent });
    },
  };
  return { kind, received };
}

describe('TargetDispatcher', () => {
  it('hands a delivery to the kind registered for the ARN service, with the resource name', async () => {
    const sqs = recordingKind('sqs');
    const lambda = recordingKind('lambda');
    const dispatcher = new TargetDispatcher().register(sqs.kind).register(lambda.kind);
    const sent = delivery('arn:aws:lambda:us-east-1:000000000000:function:ingest');
    await dispatcher.deliver(sent);
    expect(lambda.received).toEqual([{ name: 'ingest', delivery: sent }]);
    expect(sqs.received).toEqual([]);
  });

  it('lets a kind registered later for the same service replace the first', async () => {
    const first = recordingKind('sqs');
    const second = recordingKind('sqs');
    const dispatcher = new TargetDispatcher().register(first.kind).register(second.kind);
    await dispatcher.deliver(delivery('arn:aws:sqs:us-east-1:000000000000:orders'));
    expect(first.received).toHaveLength(0);
    expect(second.received.map((entry) => entry.name)).toEqual(['orders']);
  });

  it('fails a target of an unregistered kind with a non-retryable UnsupportedTarget', async () => {
    const dispatcher = new TargetDispatcher().register(recordingKind('sqs').kind);
    const failure = dispatcher.deliver(delivery('arn:aws:sns:us-east-1:000000000000:alerts'));
    await expect(failure).rejects.toBeInstanceOf(DeliveryError);
    await expect(failure).rejects.toMatchObject({
      code: 'UnsupportedTarget',
      retryable: false,
      message: 'Targets of type sns are not emulated locally',
    });
  });

  it('passes on the error a kind fails with', async () => {
    const error = new DeliveryError('ThrottlingException', 'slow down', true);
    const dispatcher = new TargetDispatcher().register({
      service: 'sqs',
      deliver: async () => {
        throw error;
      },
    });
    await expect(dispatcher.deliver(delivery('arn:aws:sqs:us-east-1:000000000000:orders'))).rejects.toBe(
      error,
    );
  });
});
