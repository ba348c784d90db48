import { JsonSchemaVersion } from 'aws-cdk-lib/aws-apigateway';
import { z } from 'zod';
import { apiGatewaySchema } from '../../lib/edge/request-models';

describe('apiGatewaySchema', () => {
  const schema = z.strictObject({
    sku: z.string().min(1).max(64),
    quantity: z.number().int().min(1),
    note: z.string().optional(),
  });

  it('is the JSON Schema draft 4 of the zod schema, as API Gateway requires', () => {
    expect(apiGatewaySchema(schema)).toEqual({
      schema: JsonSchemaVersion.DRAFT4,
      type: 'object',
      properties: {
        sku: { type: 'string', minLength: 1, maxLength: 64 },
        quantity: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        note: { type: 'string' },
      },
      required: ['sku', 'quantity'],
      additionalProperties: false,
    });
  });

  it('describes what the client sends: optional fields stay optional', () => {
    const withDefault = z.object({ currency: z.string().default('EUR') });
    expect(apiGatewaySchema(withDefault).required).toBeUndefined();
  });
});
