import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { z } from 'zod';
import { eventBridgeClient } from '../../utils/aws/clients';
import { loadConfig } from '../../utils/config/env';
import { EventPublisher } from '../../utils/events/publisher';
import { handleApiRequest } from '../../utils/http/api-handler';
import { dynamoDbPersistence } from '../../utils/idempotency/store';
import { instrument } from '../../utils/observability/instrument';
import { tracer } from '../../utils/observability/powertools';
import { webhookDelivery } from '../../utils/webhooks/delivery';
import { WebhookReceiver } from '../../utils/webhooks/receiver';
import { SecretsManagerSigningSecrets } from '../../utils/webhooks/signing-secrets';

/** POST /v1/webhooks/{provider}: verify the provider's signature, put each consumed event once. */
const config = loadConfig(
  z.object({
    EVENT_BUS_NAME: z.string().min(1),
    IDEMPOTENCY_TABLE_NAME: z.string().min(1),
    PAYMENT_WEBHOOK_SECRET_ARN: z.string().min(1),
    EMAIL_WEBHOOK_SECRET_ARN: z.string().min(1),
    WEBHOOK_SECRET_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(300),
  }),
);

const receiver = new WebhookReceiver({
  publisher: new EventPublisher(eventBridgeClient(), config.EVENT_BUS_NAME),
  persistenceStore: dynamoDbPersistence(config.IDEMPOTENCY_TABLE_NAME),
  secrets: new SecretsManagerSigningSecrets({
    secretIds: { payment: config.PAYMENT_WEBHOOK_SECRET_ARN, email: config.EMAIL_WEBHOOK_SECRET_ARN },
    maxAgeSeconds: config.WEBHOOK_SECRET_MAX_AGE_SECONDS,
  }),
});

export const handler = instrument((event: APIGatewayProxyEvent, context: Context) =>
  handleApiRequest('POST /v1/webhooks/{provider}', event, async () => {
    const received = await receiver.receive(webhookDelivery(event), context);
    tracer.putAnnotation('webhook_provider', received.provider);
    return {
      statusCode: 200,
      body: { received: true, event_id: received.event_id, events: received.events },
    };
  }),
);
