/**
 * Resolves CloudFormation intrinsic functions in a synthesized template, so the local cloud can
 * run it on loopback. Pure: everything it knows about the stack comes from the context.
 *
 * Follows the CloudFormation intrinsic function reference, including the `AWS::LanguageExtensions`
 * functions `Fn::Length`, `Fn::ToJsonString` and the `Fn::FindInMap` default value.
 */

/** CloudFormation's pseudo parameters (`AWS::Region`, `AWS::StackName`, …) for one stack. */
export interface PseudoParameters {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  readonly stackId: string;
}

export interface IntrinsicContext extends PseudoParameters {
  /** Ref of a resource or parameter logical id; undefined when unknown. */
  ref(logicalId: string): unknown;
  /** Fn::GetAtt of a resource attribute; undefined when unknown. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** The template's Conditions section (raw), evaluated on demand. */
  readonly conditions?: Readonly<Record<string, unknown>>;
  /** The template's Mappings section. */
  readonly mappings?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** Thrown when a value cannot be resolved; `path` is where in the input (e.g. `Properties.Environment.Variables.QUEUE_URL`). */
export class UnresolvableIntrinsicError extends Error {
  readonly path: string;

  constructor(reason: string, path: string) {
    super(`${reason} (at ${path === '' ? '<root>' : path})`);
    this.name = 'UnresolvableIntrinsicError';
    this.path = path;
  }
}

/** Deep-resolves every intrinsic in `value`; returns plain JSON. `path` prefixes error paths. */
export function resolveIntrinsics(value: unknown, context: IntrinsicContext, path = ''): unknown {
  const resolved = resolveValue(value, { context, evaluating: [] }, path);
  return resolved === NO_VALUE ? undefined : resolved;
}

/** Evaluates a named condition of the template. */
export function evaluateCondition(name: string, context: IntrinsicContext): boolean {
  return evaluateNamedCondition(name, { context, evaluating: [] }, `Conditions.${name}`);
}

// ---------------------------------------------------------------------------------------------
// Core walk

/** What `{"Ref": "AWS::NoValue"}` resolves to until the enclosing object or array drops it. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

interface State {
  readonly context: IntrinsicContext;
  /** Names of the conditions being evaluated, outermost first, to report cycles. */
  readonly evaluating: readonly string[];
}

/** A function handler: `path` is where the call sits in the input. */
type Handler = (argument: unknown, state: State, path: string) => unknown;

function resolveValue(value: unknown, state: State, path: string): unknown {
  if (Array.isArray(value)) return resolveArray(value, state, path);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const [name] = keys;
  if (keys.length === 1 && name !== undefined && isIntrinsicName(name)) {
    return callIntrinsic(name, value[name], state, path);
  }
  return resolveObject(value, state, path);
}

function resolveArray(values: readonly unknown[], state: State, path: string): unknown[] {
  const resolved: unknown[] = [];
  values.forEach((element, index) => {
    const value = resolveValue(element, state, `${path}[${index}]`);
    if (value !== NO_VALUE) resolved.push(value);
  });
  return resolved;
}

function resolveObject(record: Readonly<Record<string, unknown>>, state: State, path: string): object {
  const resolved: Record<string, unknown> = {};
  for (const [key, element] of Object.entries(record)) {
    const value = resolveValue(element, state, childPath(path, key));
    if (value !== NO_VALUE) resolved[key] = value;
  }
  return resolved;
}

function isIntrinsicName(key: string): boolean {
  return key === 'Ref' || key.startsWith('Fn::');
}

function callIntrinsic(name: string, argument: unknown, state: State, path: string): unknown {
  const handler = HANDLERS.get(name);
  if (handler !== undefined) return handler(argument, state, path);
  if (name === 'Fn::ImportValue') {
    fail(
      `Fn::ImportValue of ${describe(argument)} is not supported: cross-stack exports do not exist locally`,
      path,
    );
  }
  return fail(`unsupported intrinsic function ${name}`, path);
}

// ---------------------------------------------------------------------------------------------
// Ref, Fn::GetAtt and Fn::Sub: the functions that read the stack

const PSEUDO_PARAMETERS: ReadonlyMap<string, (context: IntrinsicContext) => unknown> = new Map<
  string,
  (context: IntrinsicContext) => unknown
>([
  ['AWS::AccountId', (context) => context.accountId],
  ['AWS::Region', (context) => context.region],
  ['AWS::Partition', (context) => context.partition],
  ['AWS::URLSuffix', (context) => context.urlSuffix],
  ['AWS::StackName', (context) => context.stackName],
  ['AWS::StackId', (context) => context.stackId],
  ['AWS::NotificationARNs', () => []],
  ['AWS::NoValue', () => NO_VALUE],
]);

const ref: Handler = (argument, state, path) => {
  // Language extensions allow an intrinsic that yields the name.
  const name =
    typeof argument === 'string' ? argument : resolveValue(argument, state, childPath(path, 'Ref'));
  if (typeof name !== 'string') return fail(`Ref expects a logical id, got ${describe(name)}`, path);
  return lookupRef(name, state, path, 'Ref');
};

function lookupRef(name: string, state: State, path: string, caller: string): unknown {
  const pseudo = PSEUDO_PARAMETERS.get(name);
  if (pseudo !== undefined) return pseudo(state.context);
  if (name.startsWith('AWS::')) return fail(`${caller}: unknown pseudo parameter ${name}`, path);
  const value = state.context.ref(name);
  if (value === undefined) return fail(`${caller}: cannot resolve logical id "${name}"`, path);
  return value;
}

const getAtt: Handler = (argument, state, path) => {
  if (typeof argument === 'string') {
    // Split at the first dot only: attribute names may themselves contain dots (Endpoint.Address).
    const dot = argument.indexOf('.');
    if (dot <= 0 || dot === argument.length - 1) {
      return fail(`Fn::GetAtt expects "LogicalId.Attribute", got ${describe(argument)}`, path);
    }
    return lookupAtt(argument.slice(0, dot), argument.slice(dot + 1), state, path, 'Fn::GetAtt');
  }
  const args = resolveValue(argument, state, childPath(path, 'Fn::GetAtt'));
  if (
    !Array.isArray(args) ||
    args.length !== 2 ||
    typeof args[0] !== 'string' ||
    typeof args[1] !== 'string'
  ) {
    return fail(`Fn::GetAtt expects [logicalId, attribute], got ${describe(args)}`, path);
  }
  return lookupAtt(args[0], args[1], state, path, 'Fn::GetAtt');
};

function lookupAtt(
  logicalId: string,
  attribute: string,
  state: State,
  path: string,
  caller: string,
): unknown {
  const value = state.context.getAtt(logicalId, attribute);
  if (value === undefined) {
    return fail(`${caller}: cannot resolve attribute "${attribute}" of logical id "${logicalId}"`, path);
  }
  return value;
}

const sub: Handler = (argument, state, path) => {
  let template: string;
  let variables: Readonly<Record<string, unknown>> = {};
  if (typeof argument === 'string') {
    template = argument;
  } else if (Array.isArray(argument) && argument.length === 2 && typeof argument[0] === 'string') {
    template = argument[0];
    const resolved = resolveValue(argument[1], state, `${childPath(path, 'Fn::Sub')}[1]`);
    if (!isRecord(resolved))
      return fail(`Fn::Sub variables must be an object, got ${describe(resolved)}`, path);
    variables = resolved;
  } else {
    return fail(`Fn::Sub expects a string or [string, variables], got ${describe(argument)}`, path);
  }
  return template.replace(/\$\{([^}]*)\}/g, (_match, inner: string) =>
    // `${!Literal}` is the documented escape for a literal `${Literal}`.
    inner.startsWith('!') ? `\${${inner.slice(1)}}` : substitute(inner.trim(), variables, state, path),
  );
};

function substitute(
  name: string,
  variables: Readonly<Record<string, unknown>>,
  state: State,
  path: string,
): string {
  const caller = `Fn::Sub \${${name}}`;
  let value: unknown;
  if (Object.hasOwn(variables, name)) {
    value = variables[name];
  } else if (!name.startsWith('AWS::') && name.includes('.')) {
    const dot = name.indexOf('.');
    value = lookupAtt(name.slice(0, dot), name.slice(dot + 1), state, path, caller);
  } else {
    value = lookupRef(name, state, path, caller);
  }
  const text = toText(value);
  if (text === undefined) return fail(`${caller} must resolve to a string, got ${describe(value)}`, path);
  return text;
}

// ---------------------------------------------------------------------------------------------
// String and list functions

const join: Handler = (argument, state, path) => {
  const args = resolveValue(argument, state, childPath(path, 'Fn::Join'));
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || !Array.isArray(args[1])) {
    return fail(`Fn::Join expects [delimiter, list], got ${describe(args)}`, path);
  }
  const [delimiter, list] = args as [string, unknown[]];
  return list
    .map(
      (element) =>
        toText(element) ?? fail(`Fn::Join elements must be strings, got ${describe(element)}`, path),
    )
    .join(delimiter);
};

const select: Handler = (argument, state, path) => {
  const args = resolveValue(argument, state, childPath(path, 'Fn::Select'));
  if (!Array.isArray(args) || args.length !== 2 || !Array.isArray(args[1])) {
    return fail(`Fn::Select expects [index, list], got ${describe(args)}`, path);
  }
  const [rawIndex, list] = args as [unknown, unknown[]];
  const index = typeof rawIndex === 'string' && /^\d+$/.test(rawIndex) ? Number(rawIndex) : rawIndex;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= list.length) {
    return fail(`Fn::Select index ${describe(rawIndex)} is not within a list of ${list.length}`, path);
  }
  return list[index];
};

const split: Handler = (argument, state, path) => {
  const args = resolveValue(argument, state, childPath(path, 'Fn::Split'));
  if (
    !Array.isArray(args) ||
    args.length !== 2 ||
    typeof args[0] !== 'string' ||
    typeof args[1] !== 'string'
  ) {
    return fail(`Fn::Split expects [delimiter, string], got ${describe(args)}`, path);
  }
  return args[1].split(args[0]);
};

const base64: Handler = (argument, state, path) => {
  const value = resolveValue(argument, state, childPath(path, 'Fn::Base64'));
  if (typeof value !== 'string') return fail(`Fn::Base64 expects a string, got ${describe(value)}`, path);
  return Buffer.from(value, 'utf8').toString('base64');
};

const getAzs: Handler = (argument, state, path) => {
  const value = resolveValue(argument, state, childPath(path, 'Fn::GetAZs'));
  if (typeof value !== 'string') return fail(`Fn::GetAZs expects a region, got ${describe(value)}`, path);
  // An empty string means the stack's region; the local cloud pretends every region has three zones.
  const region = value === '' ? state.context.region : value;
  return [`${region}a`, `${region}b`, `${region}c`];
};

const length: Handler = (argument, state, path) => {
  const value = resolveValue(argument, state, childPath(path, 'Fn::Length'));
  if (!Array.isArray(value)) return fail(`Fn::Length expects a list, got ${describe(value)}`, path);
  return value.length;
};

const toJsonString: Handler = (argument, state, path) => {
  const value = resolveValue(argument, state, childPath(path, 'Fn::ToJsonString'));
  if (!Array.isArray(value) && !isRecord(value)) {
    return fail(`Fn::ToJsonString expects an object or a list, got ${describe(value)}`, path);
  }
  return JSON.stringify(value);
};

const findInMap: Handler = (argument, state, path) => {
  const fnPath = childPath(path, 'Fn::FindInMap');
  if (!Array.isArray(argument) || argument.length < 3 || argument.length > 4) {
    return fail(`Fn::FindInMap expects [map, topLevelKey, secondLevelKey], got ${describe(argument)}`, path);
  }
  const keys = argument.slice(0, 3).map((key, index) => {
    const resolved = resolveValue(key, state, `${fnPath}[${index}]`);
    return toText(resolved) ?? fail(`Fn::FindInMap keys must be strings, got ${describe(resolved)}`, path);
  });
  const [mapName = '', topKey = '', secondKey = ''] = keys;
  const map = ownValue(state.context.mappings ?? {}, mapName);
  const top = isRecord(map) ? ownValue(map, topKey) : undefined;
  const found = isRecord(top) ? ownValue(top, secondKey) : undefined;
  if (found !== undefined) return structuredClone(found);
  const fallback: unknown = argument[3];
  // The default is resolved only when needed: it may reference what exists only without the mapping.
  if (isRecord(fallback) && Object.hasOwn(fallback, 'DefaultValue')) {
    return resolveValue(fallback.DefaultValue, state, `${fnPath}[3].DefaultValue`);
  }
  if (!isRecord(map)) return fail(`Fn::FindInMap: mapping "${mapName}" not found`, path);
  if (!isRecord(top)) return fail(`Fn::FindInMap: key "${topKey}" not found in mapping "${mapName}"`, path);
  return fail(`Fn::FindInMap: key "${secondKey}" not found under "${topKey}" in mapping "${mapName}"`, path);
};

// ---------------------------------------------------------------------------------------------
// Conditions

const ifFunction: Handler = (argument, state, path) => {
  if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') {
    return fail(`Fn::If expects [conditionName, valueIfTrue, valueIfFalse], got ${describe(argument)}`, path);
  }
  // Only the chosen branch is resolved: the other may name resources the condition leaves out.
  const branch = evaluateNamedCondition(argument[0], state, path) ? 1 : 2;
  return resolveValue(argument[branch], state, `${childPath(path, 'Fn::If')}[${branch}]`);
};

const equals: Handler = (argument, state, path) => {
  const args = resolveValue(argument, state, childPath(path, 'Fn::Equals'));
  if (!Array.isArray(args) || args.length !== 2) {
    return fail(`Fn::Equals expects [value, value], got ${describe(args)}`, path);
  }
  return sameValue(args[0], args[1]);
};

const not: Handler = (argument, state, path) => !conditionOperands('Fn::Not', argument, 1, 1, state, path)[0];

const and: Handler = (argument, state, path) =>
  conditionOperands('Fn::And', argument, 2, 10, state, path).every(Boolean);

const or: Handler = (argument, state, path) =>
  conditionOperands('Fn::Or', argument, 2, 10, state, path).some(Boolean);

/** A rule function; CDK's bootstrap-version rule uses it, so conditions may too. */
const contains: Handler = (argument, state, path) => {
  const args = resolveValue(argument, state, childPath(path, 'Fn::Contains'));
  if (!Array.isArray(args) || args.length !== 2 || !Array.isArray(args[0])) {
    return fail(`Fn::Contains expects [list, value], got ${describe(args)}`, path);
  }
  const [list, value] = args as [unknown[], unknown];
  return list.some((element) => sameValue(element, value));
};

function conditionOperands(
  name: string,
  argument: unknown,
  min: number,
  max: number,
  state: State,
  path: string,
): boolean[] {
  if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
    const count = min === max ? `${min}` : `${min} to ${max}`;
    return fail(`${name} expects a list of ${count} conditions, got ${describe(argument)}`, path);
  }
  const fnPath = childPath(path, name);
  // Evaluate every operand (no short-circuit) so a broken one is reported whatever the others say.
  return argument.map((operand, index) => conditionOperand(operand, state, `${fnPath}[${index}]`));
}

/** One condition: a `{"Condition": name}` reference or anything that resolves to a boolean. */
function conditionOperand(value: unknown, state: State, path: string): boolean {
  if (isRecord(value) && Object.keys(value).length === 1 && typeof value.Condition === 'string') {
    return evaluateNamedCondition(value.Condition, state, path);
  }
  const resolved = resolveValue(value, state, path);
  if (typeof resolved === 'boolean') return resolved;
  if (resolved === 'true' || resolved === 'false') return resolved === 'true';
  return fail(`expected a condition (true or false), got ${describe(resolved)}`, path);
}

function evaluateNamedCondition(name: string, state: State, path: string): boolean {
  if (state.evaluating.includes(name)) {
    return fail(`condition cycle ${[...state.evaluating, name].join(' -> ')}`, path);
  }
  const conditions = state.context.conditions ?? {};
  if (!Object.hasOwn(conditions, name)) return fail(`unknown condition "${name}"`, path);
  const inner: State = { context: state.context, evaluating: [...state.evaluating, name] };
  return conditionOperand(conditions[name], inner, `Conditions.${name}`);
}

// ---------------------------------------------------------------------------------------------
// Table and helpers

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['Ref', ref],
  ['Fn::GetAtt', getAtt],
  ['Fn::Sub', sub],
  ['Fn::Join', join],
  ['Fn::Select', select],
  ['Fn::Split', split],
  ['Fn::Base64', base64],
  ['Fn::GetAZs', getAzs],
  ['Fn::Length', length],
  ['Fn::ToJsonString', toJsonString],
  ['Fn::FindInMap', findInMap],
  ['Fn::If', ifFunction],
  ['Fn::Equals', equals],
  ['Fn::Not', not],
  ['Fn::And', and],
  ['Fn::Or', or],
  ['Fn::Contains', contains],
]);

function fail(reason: string, path: string): never {
  throw new UnresolvableIntrinsicError(reason, path);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Strings as they are; numbers and booleans as CloudFormation prints them; anything else is not text. */
function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Parameters arrive as strings, so `5432` equals `"5432"`; lists and objects compare by content. */
function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(canonical(left)) === JSON.stringify(canonical(right));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return toText(value) ?? value;
}

function describe(value: unknown): string {
  if (value === NO_VALUE) return 'AWS::NoValue';
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
