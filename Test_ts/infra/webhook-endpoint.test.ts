import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { handlerEntry, IntegrationFunction } from '../../lib/compute/integration-function';
import {
  WEBHOOK_PATH_TAG,
  WEBHOOK_PROVIDER_TAG,
  WEBHOOK_ROUTE,
  WebhookEndpoint,
  type WebhookEndpointProps,
} from '../../lib/edge/webhook-endpoint';
import { partnerApi } from '../support/rest-api';
import { templateOf, testStack } from '../support/stacks';

function build(props: Partial<Omit<WebhookEndpointProps, 'api' | 'handler'>> = {}) {
  const stack = testStack();
  const api = partnerApi(stack);
  const handler = new IntegrationFunction(stack, 'ReceiveWebhook', {
    entry: handlerEntry('api/receive-webhook'),
    description: 'webhooks',
    serviceName: 'webhooks',
    memorySize: 256,
    timeout: Duration.seconds(10),
  });
  // The API's Cognito authorizer must guard some route; the webhook route is not one.
  api.addRoute({ method: 'GET', path: '/v1/orders', handler, scopes: ['orders/write'] });
  const endpoint = new WebhookEndpoint(stack, 'Webhooks', {
    api,
    handler,
    providers: ['payment', 'email'],
    ...props,
  });
  return { stack, api, handler, endpoint, template: templateOf(stack) };
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | object): string {
  const child = 'node' in construct ? (construct.node.defaultChild ?? construct) : construct;
  return stack.getLogicalId(child as never);
}

function secretsOf(template: Template) {
  return Object.entries(template.findResources('AWS::SecretsManager::Secret'));
}

describe('WebhookEndpoint', () => {
  it('serves POST /v1/webhooks/{provider} with the handler, with no authorizer and no API key: the signature authenticates', () => {
    const { stack, handler, template } = build();
    expect(WEBHOOK_ROUTE).toBe('/v1/webhooks/{provider}');
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{provider}' });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'NONE',
      ApiKeyRequired: false,
      AuthorizerId: Match.absent(),
      AuthorizationScopes: Match.absent(),
      Integration: Match.objectLike({
        Type: 'AWS_PROXY',
        Uri: Match.objectLike({
          'Fn::Join': Match.arrayWith([
            Match.arrayWith([{ 'Fn::GetAtt': [logicalId(stack, handler), 'Arn'] }]),
          ]),
        }),
      }),
    });
  });

  it('makes a generated signing secret per provider, tagged with the provider and its webhook path', () => {
    const { template } = build();
    const secrets = secretsOf(template);
    expect(secrets).toHaveLength(2);
    for (const provider of ['payment', 'email']) {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: 48, ExcludePunctuation: true }),
        SecretString: Match.absent(),
        Name: Match.absent(),
        Tags: Match.arrayWith([
          { Key: WEBHOOK_PATH_TAG, Value: `/v1/webhooks/${provider}` },
          { Key: WEBHOOK_PROVIDER_TAG, Value: provider },
        ]),
      });
    }
  });

  it("puts each secret's ARN in <PROVIDER>_WEBHOOK_SECRET_ARN", () => {
    const { stack, endpoint, template } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PAYMENT_WEBHOOK_SECRET_ARN: { Ref: logicalId(stack, endpoint.secrets.payment as object) },
          EMAIL_WEBHOOK_SECRET_ARN: { Ref: logicalId(stack, endpoint.secrets.email as object) },
        }),
      },
    });
  });

  it('lets the handler read those two secrets and no other', () => {
    const { stack, handler, endpoint, template } = build();
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalId(stack, handler.role as object) }] },
    });
    const statements = Object.values(policies).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const secretStatements = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
    );
    const resources = secretStatements.flatMap((statement) => [statement.Resource].flat());
    expect(resources).toHaveLength(2);
    expect(resources).toEqual(
      expect.arrayContaining([
        { Ref: logicalId(stack, endpoint.secrets.payment as object) },
        { Ref: logicalId(stack, endpoint.secrets.email as object) },
      ]),
    );
    for (const statement of secretStatements) {
      expect([statement.Action].flat().sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
    }
  });

  it('keeps the secrets when the stack is deleted unless told otherwise', () => {
    const kept = build().template;
    expect(Object.values(kept.findResources('AWS::SecretsManager::Secret'))[0]?.DeletionPolicy).toBe(
      'Retain',
    );
    const dropped = build({ removalPolicy: RemovalPolicy.DESTROY }).template;
    expect(Object.values(dropped.findResources('AWS::SecretsManager::Secret'))[0]?.DeletionPolicy).toBe(
      'Delete',
    );
  });

  it('exposes the POST method, for acknowledgements and dashboards', () => {
    const { endpoint, api } = build();
    expect(endpoint.method.httpMethod).toBe('POST');
    expect(endpoint.method.resource.path).toBe('/v1/webhooks/{provider}');
    expect(endpoint.method.api).toBe(api.restApi);
  });

  it("gives each provider's URL under the API stage, to register at the provider", () => {
    const { stack, endpoint } = build();
    expect(stack.resolve(endpoint.urlOf('payment'))).toEqual({
      'Fn::Join': ['', expect.arrayContaining(['/v1/webhooks/payment'])],
    });
    expect(() => endpoint.urlOf('paypal')).toThrow('No webhook provider paypal');
  });

  it.each([
    [[], 'providers must name at least one provider'],
    [['payment', 'payment'], 'providers must not repeat a name: payment'],
    [['Payment'], 'provider "Payment" must match ^[a-z][a-z0-9]*$'],
    [['pay-ment'], 'provider "pay-ment" must match ^[a-z][a-z0-9]*$'],
  ])('fails if providers is %p', (providers, message) => {
    expect(() => build({ providers })).toThrow(message);
  });
});
