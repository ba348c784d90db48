import {
  InvalidInputTransformError,
  type RuleContext,
  renderTargetInput,
  type TargetInput,
  validateTargetInput,
} from '../../../../local/eventbridge/transform';

/*
 * Cases come from the EventBridge User Guide "Amazon EventBridge input transformation"
 * (eb-transform-target-input: predefined variables, input transform examples, common issues) and the API
 * Reference (InputTransformer, Target.InputPath, Target.Input). Where the docs are silent, the behaviour
 * recorded against AWS in LocalStack's validated input tests decides (missing values, aws.events.event).
 */

type Json = Record<string, unknown>;

/** The example EC2 event of the input transformation page. */
const event: Json = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};

const context: RuleContext = {
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ruleName: 'example',
  ingestionTime: '2015-11-11T21:29:55Z',
};

/** The Input Path of the examples, plus the variables the other cases need. */
const paths = {
  timestamp: '$.time',
  instance: '$.detail.instance-id',
  state: '$.detail.state',
  resource: '$.resources[0]',
  'detail-type': '$.detail-type',
  detail: '$.detail',
  command: '$.detail.notinmessage',
};

const transform = (InputTemplate: string, InputPathsMap: Record<string, string> = paths): TargetInput => ({
  kind: 'transformer',
  transformer: { InputPathsMap, InputTemplate },
});
const render = (template: string, on: Json = event, map?: Record<string, string>): string =>
  renderTargetInput(on, transform(template, map), context);

// eb-transform-target-input: "Input transform examples" (template → output), and the API Reference examples.
const examples: ReadonlyArray<readonly [string, string, string]> = [
  ['simple string', '"instance <instance> is in <state>"', '"instance i-0123456789 is in RUNNING"'],
  [
    'string with escaped quotes',
    '"instance \\"<instance>\\" is in <state>"',
    '"instance \\"i-0123456789\\" is in RUNNING"',
  ],
  [
    'simple JSON (string values are quoted)',
    '{"instance" : <instance>,"state": <state>}',
    '{"instance" : "i-0123456789","state": "RUNNING"}',
  ],
  [
    'JSON with strings and variables',
    '{"instance" : <instance>,"state": "<state>","instanceStatus": "instance \\"<instance>\\" is in <state>"}',
    '{"instance" : "i-0123456789","state": "RUNNING","instanceStatus": "instance \\"i-0123456789\\" is in RUNNING"}',
  ],
  [
    'JSON with a mix of variables and static information',
    '{"instance" : <instance>,"state": [ 9, <state>, true ],"Transformed" : "Yes"}',
    '{"instance" : "i-0123456789","state": [ 9, "RUNNING", true ],"Transformed" : "Yes"}',
  ],
  ['reserved variables in a string', '"<aws.events.rule-name> triggered"', '"example triggered"'],
  [
    'all string reserved variables',
    '"Rule <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"',
    '"Rule arn:aws:events:us-east-2:123456789012:rule/example example 2015-11-11T21:29:55Z"',
  ],
  [
    'ingestion time as a JSON value',
    '{"at": <aws.events.event.ingestion-time>}',
    '{"at": "2015-11-11T21:29:55Z"}',
  ],
  [
    'an array element by index',
    '{"resource": <resource>}',
    '{"resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"}',
  ],
  [
    'a plain-text template (API Reference)',
    '<instance> is in state <state>',
    'i-0123456789 is in state RUNNING',
  ],
  [
    'plain text with quotes (API Reference)',
    '<instance> is in state "<state>"',
    'i-0123456789 is in state "RUNNING"',
  ],
  [
    'JSON with variables in quotes or out (API Reference)',
    '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}',
    '{"myInstance": "i-0123456789","myStatus": "i-0123456789 is in state \\"RUNNING\\""}',
  ],
  [
    'a string template starting with special characters',
    '"{[/Check with special starting characters for event of <detail-type> type"',
    '"{[/Check with special starting characters for event of EC2 Instance State-change Notification type"',
  ],
  ['a "<" that opens no placeholder', '{"cmp": "1 < 2", "s": <state>}', '{"cmp": "1 < 2", "s": "RUNNING"}'],
];

describe('renderTargetInput — input transformer', () => {
  it.each(examples)('%s', (_title, template, output) => {
    expect(render(template)).toBe(output);
  });

  it('includes reserved variables in JSON: rule ARN, rule name and the whole event', () => {
    const template =
      '{"ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>, "e" : <aws.events.event.json>}';
    expect(JSON.parse(render(template))).toEqual({ ruleArn: context.ruleArn, ruleName: 'example', e: event });
  });

  it('gives the event without its detail for <aws.events.event>, detail-type read as detailType', () => {
    const { detail: _detail, 'detail-type': detailType, ...rest } = event;
    expect(JSON.parse(render('{"e": <aws.events.event>}'))).toEqual({ e: { ...rest, detailType } });
  });

  it('inserts a JSON object as a JSON value', () => {
    expect(JSON.parse(render('{"detail": <detail>}'))).toEqual({ detail: event.detail });
  });

  it('removes the internal quotes of an object referenced inside a string', () => {
    expect(render('"Detail is <detail>"')).toBe('"Detail is {instance-id:i-0123456789,state:RUNNING}"');
  });

  it('keeps numbers, booleans and null unquoted as JSON values, and as text inside strings', () => {
    const typed = { ...event, detail: { n: 5, b: true, z: null } };
    const map = { n: '$.detail.n', b: '$.detail.b', z: '$.detail.z' };
    expect(render('{"n": <n>, "b": <b>, "z": <z>}', typed, map)).toBe('{"n": 5, "b": true, "z": null}');
    expect(render('"n=<n> b=<b> z=<z>"', typed, map)).toBe('"n=5 b=true z=null"');
  });

  // Common issues: "a variable for a JSON path that doesn't exist in the event isn't created".
  it('renders a variable whose path is missing as empty text inside a string', () => {
    expect(render('"info extracted from detail <command>"')).toBe('"info extracted from detail "');
  });

  it('renders a variable whose path is missing as an empty JSON string in a value position', () => {
    expect(render('{"detailType": <detail-type>, "command": <command>}')).toBe(
      '{"detailType": "EC2 Instance State-change Notification", "command": ""}',
    );
  });

  // Common issues: "EventBridge doesn't escape values extracted by Input Path".
  it('does not escape values inserted inside a string', () => {
    const quoted = { ...event, detail: { note: 'say "hi"' } };
    expect(render('"note: <note>"', quoted, { note: '$.detail.note' })).toBe('"note: say "hi""');
  });

  it('supports wildcards and out-of-range indexes', () => {
    const map = { all: '$.resources[*]', values: '$.detail.*', none: '$.resources[3]' };
    expect(JSON.parse(render('{"all": <all>, "values": <values>, "none": <none>}', event, map))).toEqual({
      all: event.resources,
      values: ['i-0123456789', 'RUNNING'],
      none: '',
    });
  });

  it('works without InputPathsMap when only predefined variables are used', () => {
    const input: TargetInput = {
      kind: 'transformer',
      transformer: { InputTemplate: '"<aws.events.rule-name>"' },
    };
    expect(renderTargetInput(event, input, context)).toBe('"example"');
  });
});

describe('renderTargetInput — whole event, constant and InputPath', () => {
  const path = (inputPath: string): string => renderTargetInput(event, { kind: 'path', inputPath }, context);

  it('sends the whole event as JSON by default', () => {
    expect(JSON.parse(renderTargetInput(event, { kind: 'event' }, context))).toEqual(event);
  });

  it('sends a constant Input as is', () => {
    const input = '{ "constant" : [1, 2] }';
    expect(renderTargetInput(event, { kind: 'constant', input }, context)).toBe(input);
  });

  it.each([
    ['$.detail', '{"instance-id":"i-0123456789","state":"RUNNING"}'],
    ['$.detail.state', '"RUNNING"'],
    ['$.resources[0]', '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"'],
    ["$['detail']['instance-id']", '"i-0123456789"'],
    ['$.detail["state"]', '"RUNNING"'],
    ['$.detail.missing', '""'],
  ])('InputPath %s gives %s', (inputPath, output) => {
    expect(path(inputPath)).toBe(output);
  });

  it('InputPath $ gives the whole event', () => {
    expect(JSON.parse(path('$'))).toEqual(event);
  });
});

const long = (n: number): string => 'x'.repeat(n);
const tooMany = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, '$.detail']));

// API Reference: InputTransformer (at most 100 paths, key pattern [A-Za-z0-9_-]+, dot notation, lengths),
// Target.InputPath (JSONPath, at most 256), Target.Input (valid JSON text, at most 8192).
const invalid: ReadonlyArray<readonly [string, TargetInput, RegExp]> = [
  [
    'a placeholder that is not defined',
    transform('"Event of <detail-type> type, with not defined key <notdefinedkey>"'),
    /InputTemplate contains invalid placeholder notdefinedkey\./,
  ],
  ['more than 100 paths', transform('"x"', tooMany), /InputPathsMap can have at most 100 entries/],
  ['a key with a dot', transform('"x"', { 'my.key': '$.time' }), /InputPathsMap key "my.key" must match/],
  [
    'a reserved variable name as key',
    transform('"x"', { 'aws.events.rule-name': '$.time' }),
    /InputPathsMap key "aws.events.rule-name"/,
  ],
  ['an empty key', transform('"x"', { '': '$.time' }), /InputPathsMap key "" must match/],
  ['a key over 256 characters', transform('"x"', { [long(257)]: '$.time' }), /must be 1 to 256 characters/],
  ['a path without $', transform('"x"', { t: 'detail.state' }), /"detail.state" is not a valid JSONPath/],
  ['a filter expression', transform('"x"', { t: '$.detail[?(@.state)]' }), /is not a valid JSONPath/],
  ['recursive descent', transform('"x"', { t: '$..state' }), /is not a valid JSONPath/],
  ['bracket notation in InputPathsMap', transform('"x"', { t: "$['detail']" }), /must use dot notation/],
  ['a path over 256 characters', transform('"x"', { t: `$.${long(255)}` }), /at most 256 characters/],
  ['an empty template', transform(''), /InputTemplate must be 1 to 8192 characters/],
  [
    'a template over 8192 characters',
    transform(`"${long(8191)}"`),
    /InputTemplate must be 1 to 8192 characters/,
  ],
  ['a JSON template that is not JSON', transform('{"a": <instance>,}'), /InputTemplate is not valid JSON/],
  [
    'a placeholder as an object key',
    transform('{<instance>: 1}'),
    /placeholder cannot be used as an object key/,
  ],
  [
    'a quoted placeholder as a key',
    transform('{"<instance>": 1}'),
    /placeholder cannot be used as an object key/,
  ],
  [
    'an InputPath without $',
    { kind: 'path', inputPath: 'detail' },
    /InputPath "detail" is not a valid JSONPath/,
  ],
  ['an InputPath over 256', { kind: 'path', inputPath: `$.${long(255)}` }, /at most 256 characters/],
  ['a constant that is not JSON', { kind: 'constant', input: '{not json' }, /Input is not valid JSON text/],
  ['a constant over 8192', { kind: 'constant', input: `"${long(8191)}"` }, /Input must be at most 8192/],
];

describe('validateTargetInput', () => {
  it.each(invalid)('rejects %s', (_title, input, message) => {
    expect(() => validateTargetInput(input)).toThrow(message);
  });

  it.each<readonly [string, TargetInput]>([
    ['the documented transformer', transform('{"instance" : <instance>,"state": <state>}')],
    ['a string template', transform('"instance \\"<instance>\\" is in <state>"')],
    ['a plain-text template', transform('<instance> is in state <state>')],
    [
      'predefined variables only',
      { kind: 'transformer', transformer: { InputTemplate: '{"e": <aws.events.event>}' } },
    ],
    ['the whole event', { kind: 'event' }],
    ['a constant', { kind: 'constant', input: '{"a": [1, 2]}' }],
    ['an InputPath in bracket notation', { kind: 'path', inputPath: "$['detail']['instance-id']" }],
    ['an InputPath with an index and a wildcard', { kind: 'path', inputPath: '$.resources[0].x[*]' }],
  ])('accepts %s', (_title, input) => {
    expect(() => validateTargetInput(input)).not.toThrow();
  });

  it('throws InvalidInputTransformError with the AWS ValidationException code', () => {
    let caught: unknown;
    try {
      validateTargetInput({ kind: 'path', inputPath: 'nope' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputTransformError);
    expect((caught as InvalidInputTransformError).code).toBe('ValidationException');
    expect((caught as InvalidInputTransformError).name).toBe('InvalidInputTransformError');
  });
});
