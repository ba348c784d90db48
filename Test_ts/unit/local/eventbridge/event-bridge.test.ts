import { PassThrough } from 'node:stream';
import { EventBridge } from '../../../../local/eventbridge/event-bridge';
import { type Delivery, DeliveryError, TargetDispatcher } from '../../../../local/eventbridge/targets';
import { ConsoleLog } from '../../../../local/runtime/console-log';
import type { RuleSpec } from '../../../../local/template/topology-types';

const BUS = 'junction-bus';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:analytics';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:route-dlq';
const BUS_ARN = `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}`;

function rule(overrides: Partial<RuleSpec> = {}): RuleSpec {
  return {
    logicalId: 'OrdersToAnalytics',
    name: 'orders-to-analytics',
    arn: `arn:aws:events:us-east-1:000000000000:rule/${BUS}/orders-to-analytics`,
    busName: BUS,
    pattern: { source: ['junction.orders'], 'detail-type': [{ prefix: 'order.' }] },
    enabled: true,
    targets: [
      {
        id: 'Target0',
        arn: QUEUE_ARN,
        deadLetterArn: DLQ_ARN,
        retryPolicy: { maximumEventAgeSeconds: 3600, maximumRetryAttempts: 3 },
      },
    ],
    ...overrides,
  };
}

function bridge(rules: RuleSpec[], deliver: (delivery: Delivery) => Promise<void>, timeScale = 0.001) {
  const deadLetters: { queueArn: string; body: string; attributes: Record<string, string> }[] = [];
  const dispatcher = new TargetDispatcher().register({
    service: 'sqs',
    deliver: (_name, delivery) => deliver(delivery),
  });
  const instance = new EventBridge({
    accountId: '000000000000',
    region: 'us-east-1',
    buses: [{ logicalId: 'Bus', name: BUS, arn: BUS_ARN }],
    rules,
    archives: [
      {
        logicalId: 'Archive',
        name: 'archive',
        arn: 'arn:aws:events:us-east-1:000000000000:archive/archive',
        sourceArn: BUS_ARN,
        pattern: { account: ['000000000000'] },
      },
    ],
    dispatcher,
    deadLetter: async (queueArn, body, attributes) => {
      deadLetters.push({ queueArn, body, attributes });
    },
    console: new ConsoleLog('quiet', new PassThrough()),
    timeScale,
    random: () => 0.5,
  });
  return { instance, deadLetters };
}

const entry = (overrides: Record<string, unknown> = {}) => ({
  Source: 'junction.orders',
  DetailType: 'order.created',
  Detail: JSON.stringify({ id: 'evt-1' }),
  EventBusName: BUS,
  ...overrides,
});

describe('EventBridge', () => {
  it('accepts valid entries, answering an event id each', () => {
    const { instance } = bridge([rule()], async () => undefined);
    const [result] = instance.putEvents([entry()]);
    expect(result).toEqual({ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('answers each bad entry with its error and still accepts the others', () => {
    const { instance } = bridge([rule()], async () => undefined);
    const results = instance.putEvents([
      entry({ Detail: 'not json' }),
      entry({ Source: '' }),
      entry({ EventBusName: 'nope' }),
      entry(),
    ]);
    expect(results).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter(s) Source could not be empty.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
      { EventId: expect.any(String) },
    ]);
  });
});

describe('EventBridge delivery', () => {
  it('delivers a matching event to the rule target as the full event', async () => {
    const delivered: Delivery[] = [];
    const { instance } = bridge([rule()], async (delivery) => {
      delivered.push(delivery);
    });
    instance.putEvents([entry(), entry({ Source: 'somebody.else' })]);
    await instance.idle();
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]?.input ?? '{}')).toMatchObject({
      source: 'junction.orders',
      'detail-type': 'order.created',
      account: '000000000000',
      region: 'us-east-1',
      detail: { id: 'evt-1' },
    });
  });

  it('renders the target input path', async () => {
    const delivered: string[] = [];
    const { instance } = bridge(
      [rule({ targets: [{ ...rule().targets[0], inputPath: '$.detail' } as RuleSpec['targets'][0]] })],
      async (delivery) => {
        delivered.push(delivery.input);
      },
    );
    instance.putEvents([entry()]);
    await instance.idle();
    expect(JSON.parse(delivered[0] ?? '{}')).toEqual({ id: 'evt-1' });
  });

  it('retries a retryable failure and then delivers', async () => {
    let calls = 0;
    const { instance, deadLetters } = bridge([rule()], async () => {
      calls += 1;
      if (calls < 3) throw new DeliveryError('ThrottlingException', 'slow down', true);
    });
    instance.putEvents([entry()]);
    await instance.idle();
    expect(calls).toBe(3);
    expect(deadLetters).toHaveLength(0);
    expect(instance.recent()[0]?.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('sends the event to the target DLQ, with the reason, once the retries are used up', async () => {
    const { instance, deadLetters } = bridge([rule()], async () => {
      throw new DeliveryError('ThrottlingException', 'slow down', true);
    });
    instance.putEvents([entry()]);
    await instance.idle();
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.queueArn).toBe(DLQ_ARN);
    expect(JSON.parse(deadLetters[0]?.body ?? '{}')).toMatchObject({ detail: { id: 'evt-1' } });
    expect(deadLetters[0]?.attributes).toMatchObject({
      RULE_ARN: rule().arn,
      TARGET_ARN: QUEUE_ARN,
      ERROR_CODE: 'ThrottlingException',
      RETRY_ATTEMPTS: '3',
    });
  });

  it('does not retry a target that does not exist', async () => {
    let calls = 0;
    const { instance, deadLetters } = bridge([rule()], async () => {
      calls += 1;
      throw new DeliveryError('ResourceNotFoundException', 'gone', false);
    });
    instance.putEvents([entry()]);
    await instance.idle();
    expect(calls).toBe(1);
    expect(deadLetters[0]?.attributes.ERROR_CODE).toBe('ResourceNotFoundException');
  });

  it('drops an undeliverable event when the target has no DLQ, and records it', async () => {
    const noDlq = rule({
      targets: [
        { id: 'T', arn: QUEUE_ARN, retryPolicy: { maximumEventAgeSeconds: 60, maximumRetryAttempts: 0 } },
      ],
    });
    const { instance, deadLetters } = bridge([noDlq], async () => {
      throw new DeliveryError('ThrottlingException', 'slow', true);
    });
    instance.putEvents([entry()]);
    await instance.idle();
    expect(deadLetters).toHaveLength(0);
    expect(instance.recent()[0]?.deliveries[0]?.status).toBe('dropped');
  });

  it('fails deliveries on request, for tests', async () => {
    const delivered: string[] = [];
    const { instance, deadLetters } = bridge([rule()], async (delivery) => {
      delivered.push(delivery.input);
    });
    instance.injectFault(QUEUE_ARN, { count: 10, code: 'InternalException' });
    instance.putEvents([entry()]);
    await instance.idle();
    expect(delivered).toHaveLength(0);
    expect(deadLetters[0]?.attributes.ERROR_CODE).toBe('InternalException');
  });

  it('answers no recent events for a limit of 0', () => {
    const { instance } = bridge([rule()], async () => undefined);
    instance.putEvents([entry()]);
    expect(instance.recent(0)).toEqual([]);
    expect(instance.recent(1)).toHaveLength(1);
  });

  it('cancels retries waiting out their back-off when stopped: no later attempt, no DLQ', async () => {
    let calls = 0;
    // timeScale 0.1 and random 0.5: the first retry waits 50 ms.
    const { instance, deadLetters } = bridge(
      [rule()],
      async () => {
        calls += 1;
        throw new DeliveryError('ThrottlingException', 'slow down', true);
      },
      0.1,
    );
    instance.putEvents([entry()]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBe(1);
    instance.stop();
    await instance.idle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(1);
    expect(deadLetters).toHaveLength(0);
  });

  it('skips disabled rules', async () => {
    const delivered: string[] = [];
    const { instance } = bridge([rule({ enabled: false })], async (delivery) => {
      delivered.push(delivery.input);
    });
    instance.putEvents([entry()]);
    await instance.idle();
    expect(delivered).toHaveLength(0);
  });
});

describe('EventBridge archives and rules', () => {
  it('archives events and replays those in the time window, marked with the replay name', async () => {
    const delivered: Record<string, unknown>[] = [];
    const { instance } = bridge([rule()], async (delivery) => {
      delivered.push(JSON.parse(delivery.input));
    });
    instance.putEvents([
      entry({ Time: new Date('2025-01-15T10:00:00Z') }),
      entry({ Time: new Date('2025-01-16T10:00:00Z') }),
    ]);
    await instance.idle();
    const replay = instance.startReplay({
      name: 'replay-1',
      archiveArn: 'arn:aws:events:us-east-1:000000000000:archive/archive',
      destinationArn: BUS_ARN,
      filterArns: [],
      startMs: Date.parse('2025-01-15T00:00:00Z'),
      endMs: Date.parse('2025-01-16T00:00:00Z'),
    });
    await instance.idle();
    expect(replay.state).toBe('COMPLETED');
    expect(replay.replayed).toBe(1);
    expect(delivered).toHaveLength(3);
    expect(delivered[2]).toMatchObject({ 'replay-name': 'replay-1', time: '2025-01-15T10:00:00Z' });
    expect(instance.archiveStores[0]?.count).toBe(2);
  });

  it('refuses a rule with an invalid pattern at start-up', () => {
    expect(() => bridge([rule({ pattern: { source: 'not-an-array' } })], async () => undefined)).toThrow(
      /Event pattern is not valid/,
    );
  });
});
