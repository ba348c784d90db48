import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createEnvelope } from '../../../utils/events/envelope';
import { EventPublisher } from '../../../utils/events/publisher';
import { InvalidEventError } from '../../../utils/messaging/errors';
import { consumeQueueBatch } from '../../../utils/messaging/queue-consumer';
import { currentTraceHeader } from '../../../utils/observability/trace-header';
import { startSagaOnce } from '../../../utils/orchestration/saga-starter';
import { sampleJson } from '../../support/api-events';
import { lambdaContext } from '../../support/lambda-context';
import { sqsBatch, sqsRecord } from '../../support/sqs-events';

// X-Ray's trace header, carried where AWS does not carry it by itself: on PutEvents entries, on
// StartExecution, and on messages a consumer moves to its DLQ.

const HEADER = 'Root=1-6756a1f0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1';
const events = mockClient(EventBridgeClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);

const sample = sampleJson<{ detail: { data: Record<string, unknown> } }>('eventbridge/order-created.json');
const envelope = createEnvelope({
  type: 'order.created',
  version: '1.2',
  source: 'junction.orders',
  data: sample.detail.data,
  metadata: { correlation_id: 'c', causation_id: 'r' },
});

beforeEach(() => {
  events.reset();
  sfn.reset();
  sqs.reset();
  process.env._X_AMZN_TRACE_ID = HEADER;
});

afterAll(() => {
  delete process.env._X_AMZN_TRACE_ID;
});

describe('currentTraceHeader', () => {
  it("is Lambda's trace header of this invocation, when there is a usable one", () => {
    expect(currentTraceHeader({ _X_AMZN_TRACE_ID: HEADER })).toBe(HEADER);
    expect(currentTraceHeader({})).toBeUndefined();
    expect(currentTraceHeader({ _X_AMZN_TRACE_ID: 'garbage' })).toBeUndefined();
  });
});

describe('the trace header on every hop', () => {
  it('goes with each event put on the bus', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'bus').publish(envelope);
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ TraceHeader: HEADER })],
    });
    delete process.env._X_AMZN_TRACE_ID;
    await new EventPublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'bus').publish(envelope);
    expect(events.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries?.[0]).not.toHaveProperty(
      'TraceHeader',
    );
  });

  it('goes with each saga execution started', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn' });
    await startSagaOnce(new SFNClient({ region: 'eu-west-1' }), 'arn:machine', envelope);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { traceHeader: HEADER });
  });

  it("stays with a message moved to the DLQ: the message's own header, not the consumer's", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'd-1' });
    const record = sqsRecord({ body: 'not json' });
    const traced = {
      ...record,
      attributes: {
        ...record.attributes,
        AWSTraceHeader: 'Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb;Sampled=1',
      },
    };
    await consumeQueueBatch(
      sqsBatch(traced),
      lambdaContext(),
      async () => {
        throw new InvalidEventError('broken');
      },
      { queueUrl: 'https://sqs/dlq', maxReceiveCount: 5, client: new SQSClient({ region: 'eu-west-1' }) },
    );
    expect(sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      MessageSystemAttributes: {
        AWSTraceHeader: {
          DataType: 'String',
          StringValue: 'Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb;Sampled=1',
        },
      },
    });
  });
});
