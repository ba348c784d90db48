import { randomBytes } from 'node:crypto';
import type { TemplateResources } from './resources';
import type {
  ApiAuthorizerSpec,
  ApiKeySpec,
  ApiMethodSpec,
  ApiStageSpec,
  AppClientSpec,
  RestApiSpec,
  UsagePlanSpec,
  UserPoolSpec,
} from './topology-types';

type Props = Record<string, unknown>;

/** `arn:aws:apigateway:…:lambda:path/2015-03-31/functions/<function arn>/invocations` → the function ARN. */
export function functionArnOfUri(uri: unknown): string | undefined {
  const match = typeof uri === 'string' ? /functions\/(arn:[^/]+)\/invocations/.exec(uri) : null;
  return match?.[1];
}

function byRestApi(resources: TemplateResources, type: string, restApiId: string): [string, Props][] {
  return resources
    .ofType(type)
    .map((logicalId): [string, Props] => [logicalId, resources.properties(logicalId)])
    .filter(([, props]) => props.RestApiId === restApiId);
}

function pathsOf(resources: TemplateResources, restApiId: string, rootId: string): Map<string, string> {
  const nodes = new Map(
    byRestApi(resources, 'AWS::ApiGateway::Resource', restApiId).map(([logicalId, props]) => [
      String(resources.ref(logicalId)),
      { parentId: String(props.ParentId), pathPart: String(props.PathPart) },
    ]),
  );
  const paths = new Map<string, string>([[rootId, '/']]);
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known) return known;
    const node = nodes.get(id);
    if (!node) throw new Error(`API resource ${id} has no parent in the template`);
    const parent = pathOf(node.parentId);
    const full = `${parent === '/' ? '' : parent}/${node.pathPart}`;
    paths.set(id, full);
    return full;
  };
  for (const id of nodes.keys()) pathOf(id);
  return paths;
}

function methodOf(props: Props): ApiMethodSpec {
  const integration = (props.Integration ?? {}) as Props;
  return {
    resourceId: String(props.ResourceId),
    httpMethod: String(props.HttpMethod),
    authorizationType: String(props.AuthorizationType ?? 'NONE'),
    authorizerId: props.AuthorizerId as string | undefined,
    authorizationScopes: (props.AuthorizationScopes as string[] | undefined) ?? [],
    apiKeyRequired: props.ApiKeyRequired === true,
    requestModels: (props.RequestModels as Record<string, string> | undefined) ?? {},
    requestValidatorId: props.RequestValidatorId as string | undefined,
    requestParameters: (props.RequestParameters as Record<string, boolean> | undefined) ?? {},
    integration: {
      type: String(integration.Type ?? 'MOCK'),
      functionArn: functionArnOfUri(integration.Uri),
      timeoutMs: Number(integration.TimeoutInMillis ?? 29_000),
    },
  };
}

function authorizerOf(resources: TemplateResources, logicalId: string, props: Props): ApiAuthorizerSpec {
  return {
    id: String(resources.ref(logicalId)),
    name: String(props.Name ?? logicalId),
    type: String(props.Type),
    userPoolArns: (props.ProviderARNs as string[] | undefined) ?? [],
    functionArn: functionArnOfUri(props.AuthorizerUri),
    identitySource: props.IdentitySource as string | undefined,
    resultTtlSeconds: Number(props.AuthorizerResultTtlInSeconds ?? 300),
  };
}

function stagesOf(resources: TemplateResources, restApiId: string): ApiStageSpec[] {
  return byRestApi(resources, 'AWS::ApiGateway::Stage', restApiId).map(([, props]) => {
    const settings = ((props.MethodSettings as Props[] | undefined) ?? []).find(
      (setting) => setting.HttpMethod === '*' && setting.ResourcePath === '/*',
    );
    const throttle =
      settings?.ThrottlingRateLimit !== undefined
        ? {
            rateLimit: Number(settings.ThrottlingRateLimit),
            burstLimit: Number(settings.ThrottlingBurstLimit ?? settings.ThrottlingRateLimit),
          }
        : undefined;
    return { name: String(props.StageName), throttle };
  });
}

function apiKeysOf(resources: TemplateResources): ApiKeySpec[] {
  return resources.ofType('AWS::ApiGateway::ApiKey').map((logicalId) => {
    const props = resources.properties(logicalId);
    // A key the template does not fix is generated afresh at every start, as a secret.
    const value = typeof props.Value === 'string' ? props.Value : randomBytes(30).toString('base64url');
    return { id: String(resources.ref(logicalId)), logicalId, value, enabled: props.Enabled !== false };
  });
}

function usagePlansOf(resources: TemplateResources, restApiId: string): UsagePlanSpec[] {
  const keysByPlan = new Map<string, string[]>();
  for (const logicalId of resources.ofType('AWS::ApiGateway::UsagePlanKey')) {
    const props = resources.properties(logicalId);
    const planId = String(props.UsagePlanId);
    keysByPlan.set(planId, [...(keysByPlan.get(planId) ?? []), String(props.KeyId)]);
  }
  return resources.ofType('AWS::ApiGateway::UsagePlan').flatMap((logicalId) => {
    const props = resources.properties(logicalId);
    const stages = ((props.ApiStages as Props[] | undefined) ?? [])
      .filter((stage) => stage.ApiId === restApiId)
      .map((stage) => String(stage.Stage));
    if (stages.length === 0) return [];
    const throttle = props.Throttle as { RateLimit?: number; BurstLimit?: number } | undefined;
    const quota = props.Quota as
      | { Limit?: number; Period?: 'DAY' | 'WEEK' | 'MONTH'; Offset?: number }
      | undefined;
    const id = String(resources.ref(logicalId));
    return [
      {
        id,
        logicalId,
        throttle:
          throttle?.RateLimit !== undefined
            ? { rateLimit: throttle.RateLimit, burstLimit: throttle.BurstLimit ?? throttle.RateLimit }
            : undefined,
        quota:
          quota?.Limit !== undefined
            ? { limit: quota.Limit, period: quota.Period ?? 'DAY', offset: quota.Offset }
            : undefined,
        stages,
        apiKeyIds: keysByPlan.get(id) ?? [],
      },
    ];
  });
}

export function restApisOf(resources: TemplateResources): RestApiSpec[] {
  // Keys are the account's, not an API's: one generated secret per key, whichever API it serves.
  const apiKeys = apiKeysOf(resources);
  return resources.ofType('AWS::ApiGateway::RestApi').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    const id = String(physical?.ref);
    const rootId = String(physical?.attributes.RootResourceId);
    const models = new Map(
      byRestApi(resources, 'AWS::ApiGateway::Model', id).map(([modelId, model]) => [
        String(resources.ref(modelId)),
        (typeof model.Schema === 'string' ? JSON.parse(model.Schema) : model.Schema) as Props,
      ]),
    );
    const validators = new Map(
      byRestApi(resources, 'AWS::ApiGateway::RequestValidator', id).map(([validatorId, validator]) => [
        String(resources.ref(validatorId)),
        {
          body: validator.ValidateRequestBody === true,
          parameters: validator.ValidateRequestParameters === true,
        },
      ]),
    );
    const gatewayResponses = Object.fromEntries(
      byRestApi(resources, 'AWS::ApiGateway::GatewayResponse', id).map(([, response]) => [
        String(response.ResponseType),
        response,
      ]),
    );
    return {
      logicalId,
      id,
      name: String(props.Name ?? logicalId),
      paths: pathsOf(resources, id, rootId),
      methods: byRestApi(resources, 'AWS::ApiGateway::Method', id).map(([, method]) => methodOf(method)),
      authorizers: byRestApi(resources, 'AWS::ApiGateway::Authorizer', id).map(([authorizerId, authorizer]) =>
        authorizerOf(resources, authorizerId, authorizer),
      ),
      models,
      validators,
      stages: stagesOf(resources, id),
      gatewayResponses,
      apiKeys,
      usagePlans: usagePlansOf(resources, id),
    };
  });
}

export function userPoolsOf(resources: TemplateResources): UserPoolSpec[] {
  const clients: AppClientSpec[] = resources.ofType('AWS::Cognito::UserPoolClient').map((logicalId) => {
    const props = resources.properties(logicalId);
    return {
      logicalId,
      clientId: String(resources.ref(logicalId)),
      userPoolId: String(props.UserPoolId),
      allowedScopes: (props.AllowedOAuthScopes as string[] | undefined) ?? [],
      clientCredentials: ((props.AllowedOAuthFlows as string[] | undefined) ?? []).includes(
        'client_credentials',
      ),
    };
  });
  const domains = resources
    .ofType('AWS::Cognito::UserPoolDomain')
    .map((logicalId) => resources.properties(logicalId));
  return resources.ofType('AWS::Cognito::UserPool').map((logicalId) => {
    const physical = resources.physicalOf(logicalId);
    const id = String(physical?.ref);
    return {
      logicalId,
      id,
      arn: String(physical?.attributes.Arn),
      clients: clients.filter((client) => client.userPoolId === id),
      domains: domains.filter((domain) => domain.UserPoolId === id).map((domain) => String(domain.Domain)),
    };
  });
}
