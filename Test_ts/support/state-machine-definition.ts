import type { Template } from 'aws-cdk-lib/assertions';

export interface AslRetrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: string;
}

export interface AslCatcher {
  readonly ErrorEquals: string[];
  readonly ResultPath?: string | null;
  readonly Next: string;
}

export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly ResultPath?: string | null;
  readonly Retry?: AslRetrier[];
  readonly Catch?: AslCatcher[];
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
  readonly [field: string]: unknown;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly TimeoutSeconds?: number;
  readonly Comment?: string;
}

/** An intrinsic inside a definition, as readable text: `Fn::GetAtt [Charge, Arn]` → `Charge.Arn`. */
function placeholder(part: unknown): string {
  if (typeof part === 'string') return part;
  const record = part as Record<string, unknown>;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `${getAtt[0]}.${getAtt[1]}`;
  if (typeof record.Ref === 'string') return record.Ref;
  throw new Error(`Unexpected intrinsic in a definition: ${JSON.stringify(part)}`);
}

/**
 * The definition of the one state machine in `template`, parsed, with each `Fn::GetAtt` written as
 * `LogicalId.Attribute` and each `Ref` as the logical id, so assertions can name the resources.
 */
export function definitionOf(template: Template): AslDefinition {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`Expected one state machine, found ${machines.length}`);
  const definition = (machines[0] as { Properties: { DefinitionString: unknown } }).Properties
    .DefinitionString;
  if (typeof definition === 'string') return JSON.parse(definition) as AslDefinition;
  const join = (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(join[1].map(placeholder).join(join[0])) as AslDefinition;
}

/** A state of `definition`; fails, naming the states there are, if it has none of that name. */
export function stateOf(definition: AslDefinition, name: string): AslState {
  const state = definition.States[name];
  if (!state) throw new Error(`No state "${name}"; states: ${Object.keys(definition.States).join(', ')}`);
  return state;
}

/** The states from `start` on, following `Next` until a state that ends (End, Succeed or Fail). */
export function pathFrom(definition: AslDefinition, start: string): string[] {
  const path: string[] = [];
  for (let name: string | undefined = start; name !== undefined; name = stateOf(definition, name).Next) {
    if (path.includes(name)) throw new Error(`Loop at "${name}" after ${path.join(' → ')}`);
    path.push(name);
  }
  return path;
}

/** Where a state goes when it fails: the Next of its single catcher. */
export function catchTarget(definition: AslDefinition, name: string): AslCatcher {
  const catchers = stateOf(definition, name).Catch ?? [];
  if (catchers.length !== 1) throw new Error(`"${name}" has ${catchers.length} catchers, expected one`);
  return catchers[0] as AslCatcher;
}
