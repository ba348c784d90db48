import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { z } from 'zod';
import { eventBridgeClient } from '../../utils/aws/clients';
import { loadConfig } from '../../utils/config/env';
import { EventPublisher } from '../../utils/events/publisher';
import { handleApiRequest } from '../../utils/http/api-handler';
import { parseWithSchema, readJsonBody, requireIdempotencyKey } from '../../utils/http/request';
import { dynamoDbPersistence } from '../../utils/idempotency/store';
import { instrument } from '../../utils/observability/instrument';
import { tracer } from '../../utils/observability/powertools';
import { OrderIntake } from '../../utils/orders/intake';
import { MAX_ORDER_BODY_BYTES, OrderRequestSchema } from '../../utils/orders/order-request';

/** POST /v1/orders: validate, accept once per Idempotency-Key, put order.created on the bus. */
const config = loadConfig(
  z.object({
    EVENT_BUS_NAME: z.string().min(1),
    IDEMPOTENCY_TABLE_NAME: z.string().min(1),
  }),
);

const intake = new OrderIntake({
  publisher: new EventPublisher(eventBridgeClient(), config.EVENT_BUS_NAME),
  persistenceStore: dynamoDbPersistence(config.IDEMPOTENCY_TABLE_NAME),
});

export const handler = instrument((event: APIGatewayProxyEvent, context: Context) =>
  handleApiRequest('POST /v1/orders', event, async (correlation) => {
    const idempotencyKey = requireIdempotencyKey(event);
    const order = parseWithSchema(OrderRequestSchema, readJsonBody(event, MAX_ORDER_BODY_BYTES));
    const accepted = await intake.accept({ order, idempotencyKey, correlation }, context);
    tracer.putAnnotation('order_id', accepted.order_id);
    return {
      statusCode: 202,
      body: { order_id: accepted.order_id, event_id: accepted.event_id, status: 'accepted' },
      headers: accepted.replayed ? { 'Idempotent-Replayed': 'true' } : undefined,
    };
  }),
);
