import type { StackArtifact } from './assembly';
import type { LocalEnvironment } from './naming';
import { TemplateResources } from './resources';
import { restApisOf, userPoolsOf } from './topology-api';
import { eventSourceMappingsOf, functionsOf, stateMachinesOf } from './topology-compute';
import {
  archivesOf,
  busesOf,
  logGroupsOf,
  queuesOf,
  rulesOf,
  tablesOf,
  topicsOf,
} from './topology-messaging';
import { secretsOf } from './topology-secrets';
import type { LocalTopology } from './topology-types';

/** Resource types the local cloud runs. Every other type is reported as not emulated. */
export const EMULATED_TYPES: ReadonlySet<string> = new Set([
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::DynamoDB::Table',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Events::Archive',
  'AWS::Logs::LogGroup',
  'AWS::StepFunctions::StateMachine',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolResourceServer',
  'AWS::SecretsManager::Secret',
]);

/** Not AWS resources at all: nothing to emulate or report. */
const IGNORED_TYPES: ReadonlySet<string> = new Set(['AWS::CDK::Metadata']);

function notEmulated(resources: TemplateResources): Map<string, number> {
  const counts = new Map<string, number>();
  for (const resource of Object.values(resources.template.Resources)) {
    if (
      EMULATED_TYPES.has(resource.Type) ||
      IGNORED_TYPES.has(resource.Type) ||
      !resources.isCreated(resource)
    )
      continue;
    counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** Reads the stack template into everything the local cloud runs, with intrinsics resolved. */
export function buildTopology(artifact: StackArtifact, env: LocalEnvironment): LocalTopology {
  const resources = new TemplateResources(artifact.template, env);
  const outputs = Object.fromEntries(
    Object.entries(artifact.template.Outputs ?? {})
      .filter(([, output]) => resources.isCreated(output))
      .map(([name, output]) => [name, resources.resolve(output.Value, `Outputs.${name}`)]),
  );
  return {
    env,
    resources,
    functions: functionsOf(artifact, resources),
    queues: queuesOf(resources),
    tables: tablesOf(resources),
    buses: busesOf(resources),
    rules: rulesOf(resources),
    archives: archivesOf(resources),
    eventSourceMappings: eventSourceMappingsOf(resources),
    stateMachines: stateMachinesOf(resources),
    logGroups: logGroupsOf(resources),
    topics: topicsOf(resources),
    restApis: restApisOf(resources),
    userPools: userPoolsOf(resources),
    secrets: secretsOf(resources),
    notEmulated: notEmulated(resources),
    outputs,
  };
}
