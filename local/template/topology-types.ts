import type { LocalEnvironment } from './naming';
import type { TemplateResources } from './resources';
import type { SecretSpec } from './topology-secrets';

export interface FunctionSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The module file that exports the handler, inside the staged bundle. */
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly runtime: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logGroupName: string;
}

export interface QueueSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /** CreateQueue attributes, as strings. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly redrive?: { readonly deadLetterArn: string; readonly maxReceiveCount: number };
}

export interface TableSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The CreateTable request, as the template describes the table. */
  readonly definition: Readonly<Record<string, unknown>>;
  readonly ttlAttribute?: string;
}

export interface RetryPolicy {
  readonly maximumEventAgeSeconds: number;
  readonly maximumRetryAttempts: number;
}

export interface RuleTargetSpec {
  readonly id: string;
  readonly arn: string;
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: {
    readonly InputPathsMap?: Record<string, string>;
    readonly InputTemplate: string;
  };
  readonly deadLetterArn?: string;
  readonly retryPolicy: RetryPolicy;
  readonly messageGroupId?: string;
}

export interface RuleSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly pattern?: Readonly<Record<string, unknown>>;
  readonly scheduleExpression?: string;
  readonly enabled: boolean;
  readonly description?: string;
  readonly targets: readonly RuleTargetSpec[];
}

export interface BusSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

export interface ArchiveSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly sourceArn: string;
  readonly pattern?: Readonly<Record<string, unknown>>;
  readonly retentionDays?: number;
}

export interface EventSourceMappingSpec {
  readonly logicalId: string;
  readonly functionName: string;
  readonly eventSourceArn: string;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly maximumConcurrency?: number;
  readonly enabled: boolean;
}

export interface StateMachineSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly definition: Readonly<Record<string, unknown>>;
}

export interface LogGroupSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly retentionDays?: number;
}

export interface TopicSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
}

export interface ApiMethodSpec {
  readonly resourceId: string;
  readonly httpMethod: string;
  readonly authorizationType: string;
  readonly authorizerId?: string;
  readonly authorizationScopes: readonly string[];
  readonly apiKeyRequired: boolean;
  readonly requestModels: Readonly<Record<string, string>>;
  readonly requestValidatorId?: string;
  readonly requestParameters: Readonly<Record<string, boolean>>;
  readonly integration: { readonly type: string; readonly functionArn?: string; readonly timeoutMs: number };
}

export interface ApiAuthorizerSpec {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly userPoolArns: readonly string[];
  readonly functionArn?: string;
  readonly identitySource?: string;
  readonly resultTtlSeconds: number;
}

export interface ApiStageSpec {
  readonly name: string;
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

export interface ApiKeySpec {
  readonly id: string;
  readonly logicalId: string;
  readonly value: string;
  readonly enabled: boolean;
}

export interface UsagePlanSpec {
  readonly id: string;
  readonly logicalId: string;
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly quota?: {
    readonly limit: number;
    readonly period: 'DAY' | 'WEEK' | 'MONTH';
    readonly offset?: number;
  };
  readonly stages: readonly string[];
  readonly apiKeyIds: readonly string[];
}

export interface RestApiSpec {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  /** Resource id → full path (`/v1/orders`); the root is `/`. */
  readonly paths: ReadonlyMap<string, string>;
  readonly methods: readonly ApiMethodSpec[];
  readonly authorizers: readonly ApiAuthorizerSpec[];
  /** Model name → JSON schema. */
  readonly models: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  readonly validators: ReadonlyMap<string, { readonly body: boolean; readonly parameters: boolean }>;
  readonly stages: readonly ApiStageSpec[];
  readonly gatewayResponses: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly apiKeys: readonly ApiKeySpec[];
  readonly usagePlans: readonly UsagePlanSpec[];
}

export interface AppClientSpec {
  readonly logicalId: string;
  readonly clientId: string;
  readonly userPoolId: string;
  readonly allowedScopes: readonly string[];
  readonly clientCredentials: boolean;
}

export interface UserPoolSpec {
  readonly logicalId: string;
  readonly id: string;
  readonly arn: string;
  readonly clients: readonly AppClientSpec[];
  readonly domains: readonly string[];
}

/** Everything the local cloud runs, as the template describes it. */
export interface LocalTopology {
  readonly env: LocalEnvironment;
  readonly resources: TemplateResources;
  readonly functions: readonly FunctionSpec[];
  readonly queues: readonly QueueSpec[];
  readonly tables: readonly TableSpec[];
  readonly buses: readonly BusSpec[];
  readonly rules: readonly RuleSpec[];
  readonly archives: readonly ArchiveSpec[];
  readonly eventSourceMappings: readonly EventSourceMappingSpec[];
  readonly stateMachines: readonly StateMachineSpec[];
  readonly logGroups: readonly LogGroupSpec[];
  readonly topics: readonly TopicSpec[];
  readonly restApis: readonly RestApiSpec[];
  readonly userPools: readonly UserPoolSpec[];
  readonly secrets: readonly SecretSpec[];
  /** Resource types in the template that run nowhere locally, with their counts. */
  readonly notEmulated: ReadonlyMap<string, number>;
  /** The stack outputs, resolved to local values. */
  readonly outputs: Readonly<Record<string, unknown>>;
}
