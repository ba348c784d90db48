/**
 * What EventBridge delivers to a rule target: the whole event, a constant Input, the value at an InputPath,
 * or an InputTransformer's template filled from the event. Follows the User Guide page "Amazon EventBridge
 * input transformation" and the API Reference (InputTransformer, Target); where they are silent, the
 * behaviour AWS showed in LocalStack's validated tests (missing variables, <aws.events.event>) decides.
 */

export interface InputTransformer {
  readonly InputPathsMap?: Readonly<Record<string, string>>;
  readonly InputTemplate: string;
}

export type TargetInput =
  | { readonly kind: 'event' } // the whole event, as JSON
  | { readonly kind: 'constant'; readonly input: string } // Target.Input: a JSON text sent as is
  | { readonly kind: 'path'; readonly inputPath: string } // Target.InputPath: a JSONPath into the event
  | { readonly kind: 'transformer'; readonly transformer: InputTransformer };

export interface RuleContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  readonly ingestionTime: string;
}

export class InvalidInputTransformError extends Error {
  readonly code = 'ValidationException';

  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputTransformError';
  }
}

// API Reference limits: InputTransformer, Target.InputPath and Target.Input.
const MAX_PATHS = 100;
const MAX_PATH_LENGTH = 256;
const MAX_KEY_LENGTH = 256;
const MAX_TEMPLATE_LENGTH = 8192;
const MAX_INPUT_LENGTH = 8192;
const KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

const RULE_ARN = 'aws.events.rule-arn';
const RULE_NAME = 'aws.events.rule-name';
const INGESTION_TIME = 'aws.events.event.ingestion-time';
const EVENT = 'aws.events.event';
const EVENT_JSON = 'aws.events.event.json';
const PREDEFINED = new Set([RULE_ARN, RULE_NAME, INGESTION_TIME, EVENT, EVENT_JSON]);

/** Renders a target's input for one event. */
export type TargetInputRenderer = (event: Readonly<Record<string, unknown>>, context: RuleContext) => string;

/** The text EventBridge delivers to the target for this event. */
export function renderTargetInput(
  event: Readonly<Record<string, unknown>>,
  input: TargetInput,
  context: RuleContext,
): string {
  return compileTargetInput(input)(event, context);
}

/** Parses a target's InputPath or template once, for rendering many events. */
export function compileTargetInput(input: TargetInput): TargetInputRenderer {
  switch (input.kind) {
    case 'event':
      return (event) => JSON.stringify(event);
    case 'constant':
      return () => input.input;
    case 'path': {
      const steps = parsePath(input.inputPath);
      return (event) => asJsonValue(resolveSteps(event, steps));
    }
    case 'transformer':
      return compileTemplate(input.transformer);
  }
}

/** Checks an InputPath / InputTransformer as PutTargets does (valid JSONPaths, at most 100 paths, placeholders that exist, etc.); throws InvalidInputTransformError. */
export function validateTargetInput(input: TargetInput): void {
  if (input.kind === 'constant') validateConstant(input.input);
  else if (input.kind === 'path') checkPath(input.inputPath, 'InputPath', true);
  else if (input.kind === 'transformer') validateTransformer(input.transformer);
}

function fail(message: string): never {
  throw new InvalidInputTransformError(message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------
// JSONPath: the simple subset EventBridge supports ($, .key, ['key'], [index], .* and [*]; no filters)
// ---------------------------------------------------------------------------------------------------------

type Step =
  | { readonly kind: 'key'; readonly key: string; readonly bracket: boolean }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

const STEP = /^(?:\.(\*|[^.[\]'"*\s]+)|\[(\*|\d+|'[^']*'|"[^"]*")\])/;

function parsePath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  for (let rest = path.slice(1); rest.length > 0; ) {
    const match = STEP.exec(rest);
    if (!match) return undefined;
    const [whole, dotted, bracketed = ''] = match;
    const token = dotted ?? bracketed;
    if (token === '*') steps.push({ kind: 'wildcard' });
    else if (dotted !== undefined) steps.push({ kind: 'key', key: dotted, bracket: false });
    else if (/^\d+$/.test(token)) steps.push({ kind: 'index', index: Number(token) });
    else steps.push({ kind: 'key', key: token.slice(1, -1), bracket: true });
    rest = rest.slice(whole.length);
  }
  return steps;
}

function checkPath(path: string, label: string, bracketsAllowed: boolean): void {
  if (path.length > MAX_PATH_LENGTH) fail(`${label} must be at most ${MAX_PATH_LENGTH} characters.`);
  const steps = parsePath(path);
  if (!steps)
    fail(`${label} "${path}" is not a valid JSONPath (use $ followed by .key, [index] or * steps).`);
  // API Reference, InputPathsMap: "You must use JSON dot notation, not bracket notation."
  if (!bracketsAllowed && steps.some((step) => step.kind === 'key' && step.bracket)) {
    fail(`${label} "${path}" must use dot notation, not bracket notation.`);
  }
}

/** A variable's value; `verbatim` marks the predefined event variables, which are never altered. */
type Resolved =
  | { readonly found: false }
  | { readonly found: true; readonly value: unknown; readonly verbatim?: true };

const MISSING: Resolved = { found: false };

/** A path with a wildcard yields the array of what it reaches; any other path one value or nothing. */
function resolveSteps(root: unknown, steps: readonly Step[] | undefined): Resolved {
  if (!steps) return MISSING;
  let nodes: unknown[] = [root];
  for (const step of steps) nodes = nodes.flatMap((node) => childrenOf(node, step));
  if (steps.some((step) => step.kind === 'wildcard')) return { found: true, value: nodes };
  return nodes.length > 0 ? { found: true, value: nodes[0] } : MISSING;
}

function childrenOf(node: unknown, step: Step): unknown[] {
  let children: unknown[] = [];
  if (step.kind === 'wildcard') {
    children = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
  } else if (step.kind === 'index') {
    children = Array.isArray(node) && step.index < node.length ? [node[step.index]] : [];
  } else if (isObject(node) && Object.hasOwn(node, step.key)) {
    children = [node[step.key]];
  }
  return children.filter((child) => child !== undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------------------

type Placeholder = {
  readonly kind: 'placeholder';
  readonly name: string;
  readonly inString: boolean;
  asKey: boolean;
};
type Segment = { readonly kind: 'text'; readonly text: string } | Placeholder;

/** `<name>`; "<" and ">" cannot be escaped, so any such pair is a placeholder. */
const PLACEHOLDER = /<([^<>"]*)>/y;

/** A template whose text starts as a JSON object or array; any other is a string (or plain-text) template. */
const isJsonTemplate = (template: string): boolean => /^\s*[{[]/.test(template);

const followedByColon = (text: string, from: number): boolean => /^\s*:/.test(text.slice(from));

/** Splits a template into text and placeholders, noting which sit inside a JSON string or in a key. */
function scanTemplate(template: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  let inString = false;
  let inCurrentString: Placeholder[] = [];
  const flush = (): void => {
    if (text) segments.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < template.length; ) {
    PLACEHOLDER.lastIndex = i;
    const match = PLACEHOLDER.exec(template);
    if (match) {
      flush();
      const end = i + match[0].length;
      const placeholder: Placeholder = { kind: 'placeholder', name: match[1] ?? '', inString, asKey: false };
      if (inString) inCurrentString.push(placeholder);
      else placeholder.asKey = followedByColon(template, end);
      segments.push(placeholder);
      i = end;
      continue;
    }
    const char = template.charAt(i);
    const width = inString && char === '\\' ? 2 : 1;
    if (char === '"') {
      if (inString && followedByColon(template, i + 1)) for (const p of inCurrentString) p.asKey = true;
      inCurrentString = [];
      inString = !inString;
    }
    text += template.slice(i, i + width);
    i += width;
  }
  flush();
  return segments;
}

function validateTransformer(transformer: InputTransformer): void {
  const map = transformer.InputPathsMap ?? {};
  const entries = Object.entries(map);
  if (entries.length > MAX_PATHS) fail(`InputPathsMap can have at most ${MAX_PATHS} entries.`);
  for (const [key, path] of entries) {
    if (key.length > MAX_KEY_LENGTH)
      fail(`InputPathsMap key "${key}" must be 1 to ${MAX_KEY_LENGTH} characters.`);
    if (!KEY_PATTERN.test(key)) {
      fail(`InputPathsMap key "${key}" must match [A-Za-z0-9_-]+ (predefined variable names are reserved).`);
    }
    checkPath(path, `InputPathsMap value for "${key}"`, false);
  }
  const template = transformer.InputTemplate;
  if (template.length < 1 || template.length > MAX_TEMPLATE_LENGTH) {
    fail(`InputTemplate must be 1 to ${MAX_TEMPLATE_LENGTH} characters.`);
  }
  const segments = scanTemplate(template);
  for (const segment of segments) {
    if (
      segment.kind === 'placeholder' &&
      !PREDEFINED.has(segment.name) &&
      !Object.hasOwn(map, segment.name)
    ) {
      fail(`InputTemplate contains invalid placeholder ${segment.name}.`);
    }
  }
  if (isJsonTemplate(template)) validateJsonTemplate(segments);
}

/** A JSON template must stay JSON once filled: placeholders only as values (or inside string values). */
function validateJsonTemplate(segments: readonly Segment[]): void {
  let probe = '';
  for (const segment of segments) {
    if (segment.kind === 'text') {
      probe += segment.text;
      continue;
    }
    if (segment.asKey)
      fail(`InputTemplate: a placeholder cannot be used as an object key (<${segment.name}>).`);
    probe += segment.inString ? '' : 'null';
  }
  try {
    JSON.parse(probe);
  } catch (error) {
    fail(`InputTemplate is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function validateConstant(input: string): void {
  if (input.length > MAX_INPUT_LENGTH) fail(`Input must be at most ${MAX_INPUT_LENGTH} characters.`);
  try {
    JSON.parse(input);
  } catch {
    fail('Input is not valid JSON text.');
  }
}

function compileTemplate(transformer: InputTransformer): TargetInputRenderer {
  const paths = Object.entries(transformer.InputPathsMap ?? {}).map(
    ([name, path]) => [name, parsePath(path)] as const,
  );
  const json = isJsonTemplate(transformer.InputTemplate);
  const segments = scanTemplate(transformer.InputTemplate);
  return (event, context) => {
    const variables = new Map<string, Resolved>();
    for (const [name, steps] of paths) variables.set(name, resolveSteps(event, steps));
    // Set last: predefined variables "can't be overwritten".
    variables.set(RULE_ARN, { found: true, value: context.ruleArn });
    variables.set(RULE_NAME, { found: true, value: context.ruleName });
    variables.set(INGESTION_TIME, { found: true, value: context.ingestionTime });
    variables.set(EVENT, { found: true, value: eventWithoutDetail(event), verbatim: true });
    variables.set(EVENT_JSON, { found: true, value: event, verbatim: true });
    return segments
      .map((segment) => {
        if (segment.kind === 'text') return segment.text;
        const variable = variables.get(segment.name);
        if (!variable) return `<${segment.name}>`;
        return json && !segment.inString ? asJsonValue(variable) : asText(variable);
      })
      .join('');
  };
}

/** `<aws.events.event>`: the event without its detail; AWS names detail-type `detailType` there. */
function eventWithoutDetail(event: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key !== 'detail') copy[key === 'detail-type' ? 'detailType' : key] = value;
  }
  return copy;
}

/**
 * A variable in a JSON value position: strings get quotes, other values are their JSON. A missing path
 * gives an empty string (`""`), as AWS renders `{"command": <command>}` when $.detail.command is absent.
 */
function asJsonValue(variable: Resolved): string {
  if (!variable.found) return '""';
  return JSON.stringify(variable.value) ?? 'null';
}

/**
 * A variable inside a string (or a plain-text template): strings go in as they are, unescaped; a missing
 * path adds nothing; an object or array from a path loses its internal quotes to keep the string valid,
 * while the predefined event variables go in verbatim ("its contents are not escaped").
 */
function asText(variable: Resolved): string {
  if (!variable.found) return '';
  const { value } = variable;
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value) ?? 'null';
  return typeof value === 'object' && value !== null && !variable.verbatim ? text.replaceAll('"', '') : text;
}
