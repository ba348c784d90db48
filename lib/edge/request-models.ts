import { type JsonSchema, JsonSchemaVersion } from 'aws-cdk-lib/aws-apigateway';
import { z } from 'zod';

/**
 * The API Gateway model schema (JSON Schema draft 4) of a zod schema: the same schema the
 * handler parses with, so the gateway's validation and the handler's cannot drift.
 */
export function apiGatewaySchema(schema: z.ZodType): JsonSchema {
  const { $schema: _draft, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-4', io: 'input' });
  // The draft-4 output uses JSON Schema's own keywords, which is what JsonSchema renders.
  return { schema: JsonSchemaVersion.DRAFT4, ...(jsonSchema as Omit<JsonSchema, 'schema'>) };
}
