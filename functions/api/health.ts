import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { dynamoDbClient, eventBridgeClient, sqsClient } from '../../utils/aws/clients';
import { loadConfig } from '../../utils/config/env';
import { checkComponents, type HealthCheck, NotReadyError } from '../../utils/health/checks';
import { handleApiRequest } from '../../utils/http/api-handler';
import { UnhealthyError } from '../../utils/http/errors';
import { instrument } from '../../utils/observability/instrument';
import { recordQueueDepth } from '../../utils/observability/request-metrics';

/** GET /health: the state of the bus, the idempotency table and the analytics queue. */
const config = loadConfig(
  z.object({
    EVENT_BUS_NAME: z.string().min(1),
    IDEMPOTENCY_TABLE_NAME: z.string().min(1),
    ANALYTICS_QUEUE_URL: z.url(),
    HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).default(2000),
  }),
);

const checks: Record<string, HealthCheck> = {
  bus: async (abortSignal) => {
    await eventBridgeClient().send(new DescribeEventBusCommand({ Name: config.EVENT_BUS_NAME }), {
      abortSignal,
    });
    return undefined;
  },
  table: async (abortSignal) => {
    const { Table } = await dynamoDbClient().send(
      new DescribeTableCommand({ TableName: config.IDEMPOTENCY_TABLE_NAME }),
      { abortSignal },
    );
    if (Table?.TableStatus !== 'ACTIVE')
      throw new NotReadyError(`TableStatus ${Table?.TableStatus ?? 'unknown'}`);
    return undefined;
  },
  queue: async (abortSignal) => {
    const { Attributes = {} } = await sqsClient().send(
      new GetQueueAttributesCommand({
        QueueUrl: config.ANALYTICS_QUEUE_URL,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
      { abortSignal },
    );
    const depth = Number(Attributes.ApproximateNumberOfMessages ?? 0);
    recordQueueDepth(
      config.ANALYTICS_QUEUE_URL.slice(config.ANALYTICS_QUEUE_URL.lastIndexOf('/') + 1),
      depth,
    );
    return { depth, in_flight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) };
  },
};

export const handler = instrument((event: APIGatewayProxyEvent) =>
  handleApiRequest('GET /health', event, async () => {
    const report = await checkComponents(checks, config.HEALTH_CHECK_TIMEOUT_MS);
    if (!report.healthy) {
      const down = Object.entries(report.components)
        .filter(([, health]) => health.status === 'down')
        .map(([name]) => name);
      throw new UnhealthyError(down, report.components);
    }
    return { statusCode: 200, body: { status: 'healthy', components: report.components } };
  }),
);
