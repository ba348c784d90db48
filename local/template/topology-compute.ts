import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StackArtifact } from './assembly';
import { functionNameOf } from './naming';
import type { TemplateResources } from './resources';
import type { EventSourceMappingSpec, FunctionSpec, StateMachineSpec } from './topology-types';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown, fallback: number): number =>
  typeof value === 'number' ? value : Number(value ?? fallback);

/** The staged bundle of a function: from the asset manifest by S3 key, else the asset metadata. */
function bundleDirectory(artifact: StackArtifact, resources: TemplateResources, logicalId: string): string {
  const code = resources.resource(logicalId).Properties?.Code as { S3Key?: unknown } | undefined;
  const byKey = typeof code?.S3Key === 'string' ? artifact.assetPaths.get(code.S3Key) : undefined;
  if (byKey) return byKey;
  const assetPath = resources.resource(logicalId).Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') return path.join(artifact.directory, assetPath);
  throw new Error(`Function ${logicalId} has no staged code asset (only bundled assets run locally)`);
}

/** `index.handler` → the file exporting `handler` (`index.mjs`, `index.js` or `index.cjs`). */
function handlerLocation(directory: string, handler: string, logicalId: string) {
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  const handlerExport = handler.slice(dot + 1);
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const file = path.join(directory, `${modulePath}${extension}`);
    if (existsSync(file)) return { handlerFile: file, handlerExport };
  }
  throw new Error(`Function ${logicalId}: no module for handler "${handler}" in ${directory}`);
}

export function functionsOf(artifact: StackArtifact, resources: TemplateResources): FunctionSpec[] {
  return resources.ofType('AWS::Lambda::Function').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    const name = String(physical?.ref);
    const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const logging = props.LoggingConfig as { LogGroup?: unknown } | undefined;
    return {
      logicalId,
      name,
      arn: String(physical?.attributes.Arn),
      ...handlerLocation(bundleDirectory(artifact, resources, logicalId), String(props.Handler), logicalId),
      runtime: String(props.Runtime ?? 'nodejs22.x'),
      memorySize: num(props.MemorySize, 128),
      timeoutSeconds: num(props.Timeout, 3),
      reservedConcurrency:
        props.ReservedConcurrentExecutions === undefined
          ? undefined
          : num(props.ReservedConcurrentExecutions, 0),
      environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
      logGroupName: str(logging?.LogGroup) ?? `/aws/lambda/${name}`,
    };
  });
}

export function eventSourceMappingsOf(resources: TemplateResources): EventSourceMappingSpec[] {
  return resources.ofType('AWS::Lambda::EventSourceMapping').map((logicalId) => {
    const props = resources.properties(logicalId);
    const scaling = props.ScalingConfig as { MaximumConcurrency?: number } | undefined;
    return {
      logicalId,
      functionName: functionNameOf(String(props.FunctionName)),
      eventSourceArn: String(props.EventSourceArn),
      batchSize: num(props.BatchSize, 10),
      maxBatchingWindowSeconds: num(props.MaximumBatchingWindowInSeconds, 0),
      reportBatchItemFailures: ((props.FunctionResponseTypes as string[] | undefined) ?? []).includes(
        'ReportBatchItemFailures',
      ),
      maximumConcurrency: scaling?.MaximumConcurrency,
      enabled: props.Enabled !== false,
    };
  });
}

/** Applies DefinitionSubstitutions (`${Name}` placeholders) to a definition string. */
function substitute(definition: string, substitutions: Record<string, unknown> | undefined): string {
  if (!substitutions) return definition;
  return definition.replace(/\$\{([^}]+)\}/g, (placeholder, name: string) =>
    name in substitutions ? String(substitutions[name]) : placeholder,
  );
}

export function stateMachinesOf(resources: TemplateResources): StateMachineSpec[] {
  return resources.ofType('AWS::StepFunctions::StateMachine').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    const substitutions = props.DefinitionSubstitutions as Record<string, unknown> | undefined;
    const definition =
      typeof props.DefinitionString === 'string'
        ? JSON.parse(substitute(props.DefinitionString, substitutions))
        : JSON.parse(substitute(JSON.stringify(props.Definition ?? {}), substitutions));
    return {
      logicalId,
      name: String(physical?.attributes.Name),
      arn: String(physical?.ref),
      type: props.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      definition,
    };
  });
}
