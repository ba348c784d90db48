import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { PAYMENT_ROUTE, PaymentEndpoint, type PaymentEndpointProps } from '../../lib/edge/payment-endpoint';
import { apiGatewaySchema } from '../../lib/edge/request-models';
import { CircuitBreakerTable } from '../../lib/storage/circuit-breaker-table';
import { IdempotencyStore } from '../../lib/storage/idempotency-store';
import { PaymentRequestShape } from '../../utils/payments/payment-request';
import { partnerApi } from '../support/rest-api';
import { templateOf, testStack } from '../support/stacks';

type Overrides = Partial<
  Omit<PaymentEndpointProps, 'api' | 'idempotencyTable' | 'circuitTable' | 'paymentCredentials'>
>;

function build(
  overrides: Overrides = {},
  resourceServers: Record<string, Record<string, string>> = {
    orders: { write: 'Create orders' },
    payments: { write: 'Charge payments' },
  },
) {
  const stack = testStack();
  const api = partnerApi(stack, resourceServers);
  const idempotency = new IdempotencyStore(stack, 'Idempotency');
  const circuits = new CircuitBreakerTable(stack, 'Circuits');
  const credentials = new Secret(stack, 'PaymentCredentials');
  const endpoint = new PaymentEndpoint(stack, 'Payments', {
    api,
    idempotencyTable: idempotency.table,
    circuitTable: circuits,
    paymentCredentials: credentials,
    ...overrides,
  });
  return { stack, api, idempotency, circuits, credentials, endpoint, template: templateOf(stack) };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | object): string {
  const child = 'node' in construct ? (construct.node.defaultChild ?? construct) : construct;
  return stack.getLogicalId(child as never);
}

/** Every statement of the policies attached to the function's role. */
function statementsOf(template: Template, stack: Stack, endpoint: PaymentEndpoint) {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(stack, endpoint.function.role as object) }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
  );
}

const actionsOn = (statements: { Action: string | string[]; Resource: unknown }[], resource: unknown) =>
  statements
    .filter((statement) => JSON.stringify([statement.Resource].flat()).includes(JSON.stringify(resource)))
    .flatMap((statement) => [statement.Action].flat())
    .sort();

describe('PaymentEndpoint', () => {
  it('serves POST /api/v1/integrations/payment/process with the Cognito authorizer, the payments/write scope and an API key', () => {
    const { stack, api, endpoint, template } = build();
    expect(PAYMENT_ROUTE).toBe('/api/v1/integrations/payment/process');
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'process' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: { Ref: logicalId(stack, api.authorizer) },
      AuthorizationScopes: ['payments/write'],
      ApiKeyRequired: true,
      Integration: Match.objectLike({
        Type: 'AWS_PROXY',
        Uri: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([{ 'Fn::GetAtt': [logicalId(stack, endpoint.function), 'Arn'] }]),
          ]),
        }),
      }),
    });
    expect(endpoint.method.resource.path).toBe(PAYMENT_ROUTE);
  });

  it('validates the body at the gateway with the model of the shape the handler parses', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Name: 'PaymentRequest',
      ContentType: 'application/json',
      Schema: Match.objectLike({
        required: ['transaction_id', 'amount', 'currency', 'source'],
        additionalProperties: false,
        properties: apiGatewaySchema(PaymentRequestShape).properties,
      }),
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestModels: { 'application/json': Match.anyValue() },
      RequestValidatorId: Match.anyValue(),
    });
  });

  it('gives the function its tables, its secret and its budget in the environment', () => {
    const { stack, idempotency, circuits, credentials, template } = build({
      paymentBaseUrl: 'https://payments.example.com',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 5,
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'payments',
          IDEMPOTENCY_TABLE_NAME: { Ref: logicalId(stack, idempotency.table) },
          CIRCUIT_TABLE_NAME: { Ref: logicalId(stack, circuits.table) },
          PAYMENT_SECRET_ID: { Ref: logicalId(stack, credentials) },
          PAYMENT_BASE_URL: 'https://payments.example.com',
          PAYMENT_BUDGET_MS: '5000',
          PAYMENT_ATTEMPT_TIMEOUT_MS: '2000',
        }),
      },
    });
  });

  it("points at the contract's provider when no address is given, in the variable the local cloud rewrites", () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PAYMENT_BASE_URL: 'https://api.stripe.com' }) },
    });
  });

  it('takes another budget and attempt timeout, and times the function out at the budget', () => {
    const { template } = build({ budget: Duration.seconds(8), attemptTimeout: Duration.millis(2500) });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 8,
      Environment: {
        Variables: Match.objectLike({ PAYMENT_BUDGET_MS: '8000', PAYMENT_ATTEMPT_TIMEOUT_MS: '2500' }),
      },
    });
  });

  it('grants exactly what idempotency, the circuit breaker and the credentials need', () => {
    const { stack, idempotency, circuits, credentials, endpoint, template } = build();
    const statements = statementsOf(template, stack, endpoint);
    expect(actionsOn(statements, { 'Fn::GetAtt': [logicalId(stack, idempotency.table), 'Arn'] })).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOn(statements, { 'Fn::GetAtt': [logicalId(stack, circuits.table), 'Arn'] })).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOn(statements, { Ref: logicalId(stack, credentials) })).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
  });

  it('takes another scope', () => {
    const { template } = build(
      { scope: 'payments/charge' },
      { orders: { write: 'Create orders' }, payments: { charge: 'Charge cards' } },
    );
    template.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationScopes: ['payments/charge'] });
  });

  it('fails if the API declares no such scope', () => {
    expect(() => build({}, { orders: { write: 'Create orders' } })).toThrow(
      /unknown scope "payments\/write"/,
    );
  });

  it.each([
    [{ budget: Duration.millis(500) }, 'budget must be from 1 to 25 seconds, got 500 ms'],
    [{ budget: Duration.seconds(26) }, 'budget must be from 1 to 25 seconds, got 26000 ms'],
    [
      { budget: Duration.seconds(3), attemptTimeout: Duration.seconds(3) },
      'attemptTimeout (3000 ms) must be shorter than budget (3000 ms)',
    ],
    [{ attemptTimeout: Duration.millis(50) }, 'attemptTimeout must be at least 100 ms, got 50 ms'],
    [{ paymentBaseUrl: 'ftp://payments.example.com' }, 'paymentBaseUrl must be an http(s) URL'],
  ])('fails if given %p', (overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
