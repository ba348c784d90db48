import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { sampleJson } from '../../support/api-events';
import { captureEmf } from '../../support/emf';
import { lambdaContext } from '../../support/lambda-context';

const dynamo = mockClient(DynamoDBClient);
const eventBridge = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
let handler: Handler;

beforeAll(async () => {
  process.env.EVENT_BUS_NAME = 'junction-bus';
  process.env.IDEMPOTENCY_TABLE_NAME = 'junction-idempotency';
  process.env.ANALYTICS_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/000000000000/analytics';
  ({ handler } = (await import('../../../functions/api/health')) as unknown as { handler: Handler });
});

beforeEach(() => {
  dynamo.reset();
  eventBridge.reset();
  sqs.reset();
  eventBridge.on(DescribeEventBusCommand).resolves({ Name: 'junction-bus' });
  dynamo.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesNotVisible: '1' },
  });
});

async function invoke() {
  const response = await handler(
    sampleJson<APIGatewayProxyEvent>('api/get-health.apigw.json'),
    lambdaContext('health'),
  );
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
}

describe('GET /health', () => {
  it('answers 200 with every component up and the queue depth', async () => {
    const response = await invoke();
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({
      success: true,
      status: 'healthy',
      components: {
        bus: { status: 'up' },
        table: { status: 'up' },
        queue: { status: 'up', depth: 4, in_flight: 1 },
      },
    });
    expect(eventBridge).toHaveReceivedCommandWith(DescribeEventBusCommand, { Name: 'junction-bus' });
    expect(dynamo).toHaveReceivedCommandWith(DescribeTableCommand, { TableName: 'junction-idempotency' });
  });

  it('emits the queue depth it read as Message_Queue_Depth, by queue name', async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const emf = captureEmf();
    try {
      await invoke();
    } finally {
      emf.restore();
    }
    expect(emf.metricValues('Message_Queue_Depth')).toEqual([4]);
    expect(emf.records('Message_Queue_Depth')[0]).toMatchObject({ queue_name: 'analytics' });
  });

  it('answers 503 in the standard error format, naming the component that is down', async () => {
    dynamo
      .on(DescribeTableCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    const response = await invoke();
    expect(response.statusCode).toBe(503);
    expect(response.json).toMatchObject({
      success: false,
      error_code: 'UNHEALTHY',
      error_message: 'Unhealthy components: table',
      request_id: 'req-health-1',
      components: { table: { status: 'down', error: 'ResourceNotFoundException' }, bus: { status: 'up' } },
    });
  });

  it('treats a table that is not ACTIVE as down', async () => {
    dynamo.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'UPDATING' } });
    const response = await invoke();
    expect(response.statusCode).toBe(503);
    expect(response.json.components).toMatchObject({
      table: { status: 'down', error: 'TableStatus UPDATING' },
    });
  });
});
