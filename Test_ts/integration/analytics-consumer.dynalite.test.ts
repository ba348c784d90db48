import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type RunningDynalite, startDynalite } from '../support/dynalite';
import { captureEmf } from '../support/emf';
import { lambdaContext } from '../support/lambda-context';
import { sqsBatch, sqsRecord } from '../support/sqs-events';

// The analytics consumer against a real DynamoDB implementation (dynalite): EventBridge delivers
// at least once, so the same event arriving twice must be recorded once.

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const TABLE = 'junction-idempotency-consumer';
let dynamo: RunningDynalite;
let handler: Handler;

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createIdempotencyTable(TABLE);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.IDEMPOTENCY_TABLE_NAME = TABLE;
  process.env.DEAD_LETTER_QUEUE_URL = 'http://127.0.0.1:9/000000000000/unused-dlq';
  process.env.MAX_RECEIVE_COUNT = '5';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  ({ handler } = (await import('../../functions/consumers/analytics-consumer')) as unknown as {
    handler: Handler;
  });
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('analytics consumer idempotency (dynalite)', () => {
  it('records an event delivered twice only once, in one batch or across batches', async () => {
    const emf = captureEmf();
    try {
      const duplicateInBatch = await handler(
        sqsBatch(sqsRecord({ messageId: 'copy-1' }), sqsRecord({ messageId: 'copy-2' })),
        lambdaContext('analytics'),
      );
      const redelivered = await handler(
        sqsBatch(sqsRecord({ messageId: 'copy-3' })),
        lambdaContext('analytics'),
      );

      expect(duplicateInBatch).toEqual({ batchItemFailures: [] });
      expect(redelivered).toEqual({ batchItemFailures: [] });
      expect(emf.metricValues('Orders_Recorded_Total')).toEqual([1]);
      expect(emf.metricValues('Order_Value_Minor_Units')).toEqual([6100]);
    } finally {
      emf.restore();
    }
  });
});
