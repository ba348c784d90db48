import {
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from '../../../../local/eventbridge/patterns';

/*
 * Cases come from the Amazon EventBridge User Guide: "Creating event patterns" (eb-event-patterns),
 * "Arrays in event patterns" (eb-event-patterns-arrays), "Matching null values and empty strings"
 * (eb-event-patterns-null-values), "Content filtering" (eb-event-patterns-content-based-filtering) and
 * "Comparison operators" (eb-create-pattern-operators). Where the docs are silent, the behaviour recorded
 * against AWS in LocalStack's validated pattern suite and the open-source engine (aws/event-ruler) decide.
 */

type Json = Record<string, unknown>;
type Row = readonly [string, Json, Json, boolean];

/** The EC2 state-change event of the "Creating event patterns" page, with a replaceable detail. */
function ec2(
  detail: Json = { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  extra: Json = {},
): Json {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail,
    ...extra,
  };
}

const d = (detail: Json): Json => ec2(detail);
const top = (extra: Json): Json => ec2(undefined, extra);
const MISSING = Symbol('missing');

/** A row whose pattern lists `values` for detail.<field> and whose event holds `value` there. */
function row(title: string, field: string, values: unknown[], value: unknown, expected: boolean): Row {
  return [title, { detail: { [field]: values } }, d(value === MISSING ? {} : { [field]: value }), expected];
}

/** A row with a single operator expression on detail.<field>. */
function op(name: string, operand: unknown, field = 'v') {
  return (title: string, value: unknown, expected: boolean): Row =>
    row(title, field, [{ [name]: operand }], value, expected);
}

// eb-event-patterns: "Creating event patterns" — exact values, AND across fields, OR inside arrays.
const ec2Termination = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};
const basics: Row[] = [
  ['the EC2 termination pattern matches', ec2Termination, ec2(), true],
  ['every field must match (AND)', { source: ['aws.ec2'], detail: { state: ['running'] } }, ec2(), false],
  [
    'array values are alternatives (OR)',
    { source: ['aws.ec2', 'aws.fargate'] },
    top({ source: 'aws.fargate' }),
    true,
  ],
  ['no alternative matches', { source: ['aws.ec2', 'aws.fargate'] }, top({ source: 'aws.s3' }), false],
  ['string matching is case-sensitive', { source: ['AWS.EC2'] }, ec2(), false],
  ['field names are case-sensitive', { detail: { State: ['terminated'] } }, ec2(), false],
  row('a missing field never matches a value', 'reason', ['x'], MISSING, false),
  ['nesting must follow the event', { detail: { state: { name: ['terminated'] } } }, ec2(), false],
  row('numbers match numbers', 'count', [5], 5, true),
  row('a number does not match its string form', 'count', [5], '5', false),
  row('a string does not match the number', 'count', ['5'], 5, false),
  row('true matches true', 'enabled', [true], true, true),
  row('true does not match false', 'enabled', [true], false, false),
  row('true does not match "true"', 'enabled', [true], 'true', false),
  ['a dotted key reaches a nested field', { detail: { 'a.b': ['x'] } }, d({ a: { b: 'x' } }), true],
  ['a nested pattern reaches a dotted event key', { detail: { a: { b: ['x'] } } }, d({ 'a.b': 'x' }), true],
];

// eb-event-patterns-arrays: an event array matches when its intersection with the pattern array is non-empty.
const arns = [
  'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
  'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
  'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
];
const asg = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASG';
const staff = d({
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
});
const person = (first: string, last?: string): Json => ({
  detail: { employees: { firstName: [first], ...(last ? { lastName: [last] } : {}) } },
});
const arrays: Row[] = [
  ['any element of an event array can match', { resources: arns }, top({ resources: [asg, arns[0]] }), true],
  ['an event array without a common value', { resources: arns }, top({ resources: [asg] }), false],
  ['objects in an array match field by field', person('Anna'), staff, true],
  ['two fields must come from one array element', person('Anna', 'Jones'), staff, false],
  ['two fields from the same array element', person('Anna', 'Smith'), staff, true],
  ['an empty event array has no value, not even null', { resources: [null] }, top({ resources: [] }), false],
];

// eb-event-patterns-null-values: [null] and [""] are distinct and match only themselves.
const nulls: Row[] = [
  row('[""] matches an empty string', 'eventVersion', [''], '', true),
  row('[null] matches a null value', 'responseElements', [null], null, true),
  row('[""] does not match null', 'responseElements', [''], null, false),
  row('[null] does not match an empty string', 'eventVersion', [null], '', false),
  row('[null] does not match a missing field', 'responseElements', [null], MISSING, false),
];

// Content filtering — Prefix matching, and Prefix matching while ignoring case.
const prefixI = op('prefix', { 'equals-ignore-case': 'EventB' }, 'service');
const prefix: Row[] = [
  [
    'prefix of the time field',
    { time: [{ prefix: '2017-10-02' }] },
    top({ time: '2017-10-02T18:43:48Z' }),
    true,
  ],
  ['a different prefix', { time: [{ prefix: '2017-10-02' }] }, top({ time: '2017-10-03T18:43:48Z' }), false],
  op('prefix', 'EU-')('prefix is case-sensitive', 'eu-west-1', false),
  op('prefix', '1')('prefix applies to strings only', 12, false),
  op('prefix', '')('an empty prefix matches any string', 'x', true),
  prefixI('prefix ignoring case (lower)', 'eventbridge', true),
  prefixI('prefix ignoring case (upper)', 'EVENTBRIDGE', true),
  prefixI('prefix ignoring case, other prefix', 'Lambda', false),
];

// Content filtering — Suffix matching, and Suffix matching while ignoring case.
const png = op('suffix', '.png', 'FileName');
const pngI = op('suffix', { 'equals-ignore-case': '.png' }, 'FileName');
const suffix: Row[] = [
  png('suffix .png', 'photo.png', true),
  png('another extension', 'photo.jpg', false),
  png('suffix is case-sensitive', 'photo.PNG', false),
  png('suffix applies to strings only', 5, false),
  pngI('suffix ignoring case', 'photo.PNG', true),
  pngI('suffix ignoring case, other extension', 'a.gif', false),
];

// Content filtering — Anything-but matching (single value, lists, prefix, suffix, ignore case, wildcard).
const but = (operand: unknown) => op('anything-but', operand, 'state');
const anythingBut: Row[] = [
  but('initializing')('anything-but a string', 'running', true),
  but('initializing')('anything-but the excluded string', 'initializing', false),
  but('initializing')('anything-but matches null (a value)', null, true),
  but('initializing')('anything-but matches another type', 7, true),
  but('initializing')('anything-but never matches a missing field', MISSING, false),
  but('initializing')('anything-but never matches an object (not a leaf)', { code: 1 }, false),
  but(123)('anything-but a number', 124, true),
  but(123)('anything-but the excluded number', 123, false),
  but(['stopped', 'overloaded'])('anything-but a list of strings', 'running', true),
  but(['stopped', 'overloaded'])('a value in the excluded list', 'overloaded', false),
  but([100, 200, 300])('anything-but a list of numbers', 150, true),
  but([100, 200, 300])('a number in the excluded list', 200, false),
  but('stopped')('an event array with one allowed value', ['stopped', 'running'], true),
  but({ prefix: 'init' })('anything-but prefix', 'running', true),
  but({ prefix: 'init' })('anything-but prefix, excluded', 'initializing', false),
  but({ prefix: 'init' })('anything-but prefix on a number', 12, true),
  but({ prefix: ['init', 'test'] })('anything-but a list of prefixes', 'post-init', true),
  but({ prefix: ['init', 'test'] })('anything-but a list of prefixes, excluded', 'test-1', false),
  but({ suffix: '.txt' })('anything-but suffix', 'a.png', true),
  but({ suffix: '.txt' })('anything-but suffix, excluded', 'a.txt', false),
  but({ 'equals-ignore-case': 'initializing' })('anything-but ignoring case', 'running', true),
  but({ 'equals-ignore-case': 'initializing' })(
    'anything-but ignoring case, excluded',
    'INITIALIZING',
    false,
  ),
  but({ 'equals-ignore-case': ['Stopped', 'OverLoaded'] })('ignoring case, list', 'stopped', false),
  but({ 'equals-ignore-case': ['Stopped', 'OverLoaded'] })('ignoring case, list, null', null, true),
  but({ wildcard: '*/lib/*' })('anything-but wildcard', '/usr/bin/x', true),
  but({ wildcard: '*/lib/*' })('anything-but wildcard, excluded', '/usr/lib/x', false),
  but({ wildcard: ['*/lib/*', '*/bin/*'] })('anything-but a list of wildcards', '/usr/bin/x', false),
];

// Content filtering — Numeric matching (JSON numbers only).
const counts = {
  'c-count': [{ numeric: ['>', 0, '<=', 5] }],
  'd-count': [{ numeric: ['<', 10] }],
  'x-limit': [{ numeric: ['=', 3.018e2] }],
};
const num = (range: unknown[], value: unknown, expected: boolean): Row =>
  op('numeric', range)(`numeric ${JSON.stringify(range)} on ${JSON.stringify(value)}`, value, expected);
const numeric: Row[] = [
  [
    'all three numeric fields hold',
    { detail: counts },
    d({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 }),
    true,
  ],
  ['c-count above its range', { detail: counts }, d({ 'c-count': 6, 'd-count': 3, 'x-limit': 301.8 }), false],
  ['x-limit not equal', { detail: counts }, d({ 'c-count': 5, 'd-count': 3, 'x-limit': 301.9 }), false],
  num(['>', 0, '<=', 5], 0, false),
  num(['>=', 0, '<', 5], 0, true),
  num(['>=', 0, '<', 5], 5, false),
  num(['<=', 10], 10, true),
  num(['<', 10], 10, false),
  num(['>', 100], 101.5, true),
  num(['>=', -5], -5, true),
  num(['=', 5], 5.0, true),
  num(['>', 5], '6', false),
  num(['>', 5], null, false),
  num(['=', 5], [1, 5], true),
];

// Content filtering — Exists matching (leaf nodes only).
const present = op('exists', true, 'state');
const absent = op('exists', false, 'state');
const exists: Row[] = [
  present('exists true on a present field', 'pending', true),
  present('exists true on a missing field', MISSING, false),
  present('exists true on a null value', null, true),
  present('exists true on an object (not a leaf)', { S: 'x' }, false),
  present('exists true on an empty array', [], false),
  absent('exists false on a missing field', MISSING, true),
  absent('exists false on a present field', 'pending', false),
  absent('exists false on an object (c-count is not a leaf)', { c1: 100 }, true),
  absent('exists false on an empty array', [], true),
  row(
    'exists false or anything-but',
    'homemade',
    [{ 'anything-but': ['roses'] }, { exists: false }],
    MISSING,
    true,
  ),
];

// Content filtering — Equals-ignore-case matching.
const ec2Type = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
const ignoreCase: Row[] = [
  ['equals-ignore-case', ec2Type, ec2(), true],
  ['equals-ignore-case, other text', ec2Type, top({ 'detail-type': 'EC2 Instance State Change' }), false],
  op('equals-ignore-case', '5')('equals-ignore-case on a number', 5, false),
  op('equals-ignore-case', '')('equals-ignore-case of an empty string', '', true),
];

// Content filtering — Wildcard matching.
const busArn = 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus';
const busPattern = (region: string): Json => ({
  EventBusArn: [{ wildcard: `arn:aws:events:${region}:*:event-bus/*` }],
});
const wc = (pattern: string, value: unknown, expected: boolean): Row =>
  op('wildcard', pattern)(`wildcard ${JSON.stringify(pattern)} on ${JSON.stringify(value)}`, value, expected);
const wildcard: Row[] = [
  ['wildcard on an event bus ARN', busPattern('us-east-1'), top({ EventBusArn: busArn }), true],
  ['wildcard, other region', busPattern('us-west-2'), top({ EventBusArn: busArn }), false],
  wc('*.png', 'a.png', true),
  wc('*.png', 'a.png.txt', false),
  wc('*Title*', 'MyTitleIsLong', true),
  wc('dir/*.png', 'dir/a/b.png', true),
  wc('a.c', 'abc', false),
  wc('file\\*.txt', 'file*.txt', true),
  wc('file\\*.txt', 'file1.txt', false),
  wc('a\\\\b', 'a\\b', true),
  wc('*', 5, false),
  wc('', '', true),
  wc('', 'x', false),
];

// Content filtering — IP address matching (IPv4 and IPv6).
const ip = (range: string, value: unknown, expected: boolean): Row =>
  op('cidr', range, 'sourceIPAddress')(`cidr ${range} on ${JSON.stringify(value)}`, value, expected);
const cidr: Row[] = [
  ip('10.0.0.0/24', '10.0.0.255', true),
  ip('10.0.0.0/24', '10.0.0.0', true),
  ip('10.0.0.0/24', '10.0.1.1', false),
  ip('10.0.0.0/24', 'not-an-ip', false),
  ip('10.0.0.0/24', 167772161, false),
  ip('10.0.0.7/32', '10.0.0.7', true),
  ip('2001:db8::/32', '2001:db8:1234:1a00::1', true),
  ip('2001:db8::/32', '2001:0DB8:0:0:0:0:0:1', true),
  ip('2001:db8::/32', '2001:db9::1', false),
  ip('2001:db8::/32', '10.0.0.1', false),
  ip('0.0.0.0/0', '192.168.1.1', true),
];

// Content filtering — Or matching ($or), and the complex example with multiple matching.
const orCounts = {
  $or: [
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    { detail: { 'd-count': [{ numeric: ['<', 10] }] } },
    { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
  ],
};
const orMetric = {
  source: ['aws.cloudwatch'],
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
};
const complex = {
  time: [{ prefix: '2017-10-02' }],
  detail: {
    state: [{ 'anything-but': 'initializing' }],
    'c-count': [{ numeric: ['>', 0, '<=', 5] }],
    'd-count': [{ numeric: ['<', 10] }],
    'x-limit': [{ 'anything-but': [100, 200, 300] }],
  },
};
const ruler = { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', state: 'running' };
const onOct2 = (detail: Json): Json => top({ time: '2017-10-02T16:24:49Z', detail });
const cw = (extra: Json): Json => top({ source: 'aws.cloudwatch', ...extra });
const or: Row[] = [
  ['$or: the second branch holds', orCounts, d({ 'd-count': 9 }), true],
  ['$or: no branch holds', orCounts, d({ 'c-count': 9, 'd-count': 10 }), false],
  ['$or with a common field: first branch', orMetric, cw({ metricName: 'ReadLatency' }), true],
  ['$or with a common field: second branch', orMetric, cw({ namespace: 'AWS/ES' }), true],
  ['$or with a common field that fails', orMetric, top({ source: 'aws.ec2', namespace: 'AWS/ES' }), false],
  ['$or nested inside detail', { detail: { $or: [{ a: ['1'] }, { b: ['2'] }] } }, d({ b: '2' }), true],
  [
    '$or branch with an AND inside',
    { $or: [{ a: ['1'] }, { b: ['2'], c: ['3'] }] },
    top({ b: '2', c: '4' }),
    false,
  ],
  ['the complex example matches', complex, onOct2(ruler), true],
  ['the complex example, excluded state', complex, onOct2({ ...ruler, state: 'initializing' }), false],
];

describe('matchesEventPattern', () => {
  const groups = {
    basics,
    arrays,
    nulls,
    prefix,
    suffix,
    anythingBut,
    numeric,
    exists,
    ignoreCase,
    wildcard,
    cidr,
    or,
  };
  for (const [name, rows] of Object.entries(groups)) {
    describe(name, () => {
      it.each(rows)('%s', (_title, pattern, event, expected) => {
        validateEventPattern(pattern);
        expect(matchesEventPattern(pattern, event)).toBe(expected);
      });
    });
  }
});

type Bad = readonly [string, unknown, RegExp];
/** A pattern with one operator expression on field `f`. */
const bad = (title: string, expression: Json, message: RegExp): Bad => [title, { f: [expression] }, message];

// Validation mirrors PutRule/TestEventPattern: InvalidEventPatternException with the engine's reason.
const structure: Bad[] = [
  ['a string', 'source', /Filter is not an object/],
  ['an array', ['aws.ec2'], /Filter is not an object/],
  ['null', null, /Filter is not an object/],
  ['an empty pattern', {}, /Empty objects are not allowed/],
  ['an empty nested object', { detail: {} }, /Empty objects are not allowed at "detail"/],
  ['a bare string leaf', { string: 'my-value' }, /"string" must be an object or an array/],
  ['a bare number leaf', { int: 42 }, /"int" must be an object or an array/],
  ['an empty array', { resources: [] }, /Empty arrays are not allowed at "resources"/],
  [
    'a nested array value',
    { source: [['aws.ec2']] },
    /Match value must be String, number, true, false, or null/,
  ],
  bad('an empty match expression', {}, /Match expression name not found/),
  bad(
    'two operators in one expression',
    { prefix: 'a', suffix: 'b' },
    /Only one key allowed in match expression/,
  ),
  bad('an unknown operator', { contains: 'x' }, /Unrecognized match type contains at "f"/),
  bad('an upper-case operator', { EXISTS: true }, /Unrecognized match type EXISTS/),
];

const but1 = (operand: unknown): Json => ({ 'anything-but': operand });
const operators: Bad[] = [
  bad('a prefix list', { prefix: ['2022-07-13'] }, /prefix match pattern must be a string/),
  bad('a numeric prefix', { prefix: 123 }, /prefix match pattern must be a string/),
  bad(
    'prefix with another option',
    { prefix: { 'anything-but': 'x' } },
    /Unsupported prefix pattern: anything-but/,
  ),
  bad(
    'prefix ignore-case number',
    { prefix: { 'equals-ignore-case': 1 } },
    /equals-ignore-case match pattern must/,
  ),
  bad('a suffix list', { suffix: ['.png'] }, /suffix match pattern must be a string/),
  bad('a numeric suffix', { suffix: 123 }, /suffix match pattern must be a string/),
  bad(
    'equals-ignore-case list',
    { 'equals-ignore-case': ['ec2'] },
    /equals-ignore-case match pattern must be/,
  ),
  bad(
    'equals-ignore-case object',
    { 'equals-ignore-case': { prefix: 'e' } },
    /equals-ignore-case match pattern/,
  ),
  bad('exists as a string', { exists: 'true' }, /exists match pattern must be either true or false/),
  bad('numeric not an array', { numeric: 5 }, /Value of numeric must be an array/),
  bad('numeric two lower bounds', { numeric: ['>', 0, '>', 0] }, /Bad numeric range operator: >/),
  bad('numeric missing upper value', { numeric: ['>', 0, '<'] }, /Value of < must be numeric/),
  bad('numeric string value', { numeric: ['=', '5'] }, /Value of = must be numeric/),
  bad('numeric upper then lower', { numeric: ['<', 10, '>', 5] }, /Too many elements in numeric expression/),
  bad('numeric unknown operator', { numeric: ['~', 1] }, /Unrecognized numeric range operator: ~/),
  bad('numeric empty', { numeric: [] }, /Invalid member in numeric match/),
  bad('numeric inverted range', { numeric: ['>', 10, '<', 5] }, /Bottom must be less than top/),
  bad('numeric out of range', { numeric: ['<', 5e10] }, /Value must be between -5.0E9 and 5.0E9, inclusive/),
  bad('numeric with 7 decimals', { numeric: ['=', 1.1234567] }, /Only values up to 6 decimals are supported/),
  bad('numeric five terms', { numeric: ['>', 0, '<', 5, 6] }, /Too many terms in numeric range expression/),
  bad('anything-but boolean', but1(true), /Value of anything-but must be an array or single string\/number/),
  bad('anything-but mixed list', but1([1, 'a']), /either all values are number or string/),
  bad('anything-but empty list', but1([]), /either all values are number or string/),
  bad('anything-but list with null', but1([null]), /Inside anything but list, start\|null\|boolean/),
  bad('anything-but numeric prefix', but1({ prefix: 123 }), /prefix\/suffix match pattern must be a string/),
  bad('anything-but suffix numbers', but1({ suffix: [123, '.txt'] }), /prefix\/suffix match pattern must be/),
  bad(
    'anything-but prefix ignoring case',
    but1({ prefix: { 'equals-ignore-case': 'f' } }),
    /anything-but must/,
  ),
  bad(
    'anything-but ignore-case number',
    but1({ 'equals-ignore-case': 123 }),
    /anything-but\/equals-ignore-case/,
  ),
  bad('anything-but wildcard number', but1({ wildcard: 123 }), /wildcard match pattern must be a string/),
  bad(
    'anything-but unknown option',
    but1({ numeric: ['>', 1] }),
    /Unsupported anything-but pattern: numeric/,
  ),
  bad('anything-but empty prefix', but1({ prefix: '' }), /Null prefix\/suffix not allowed/),
  bad('anything-but two options', but1({ prefix: 'a', suffix: 'b' }), /Only one key allowed in anything-but/),
  bad('wildcard number', { wildcard: 123 }, /wildcard match pattern must be a string/),
  bad('wildcard list', { wildcard: ['a*'] }, /wildcard match pattern must be a string/),
  bad(
    'consecutive wildcards',
    { wildcard: 'arn:aws:events:us-east-1:**:bus/*' },
    /Consecutive wildcard .* pos 25/,
  ),
  bad('a bad escape', { wildcard: 'a\\b' }, /Invalid escape character at pos 1/),
  bad('a trailing backslash', { wildcard: 'a\\' }, /Invalid escape character at pos 1/),
  bad('anything-but bad wildcard', but1({ wildcard: ['ok*', 'x**'] }), /Consecutive wildcard characters/),
  bad('cidr without a mask', { cidr: '10.0.0.0' }, /Malformed CIDR, one '\/' required/),
  bad('cidr with a word mask', { cidr: '10.0.0.0/xx' }, /Malformed CIDR, mask bits must be an integer/),
  bad('cidr with a bad address', { cidr: 'xx.11.xx/24' }, /Nonstandard IP address: xx.11.xx/),
  bad(
    'cidr with a bad IPv6 address',
    { cidr: 'xxxx:db8:1a00::/64' },
    /Nonstandard IP address: xxxx:db8:1a00::/,
  ),
  bad('IPv4 mask too large', { cidr: '10.0.0.0/33' }, /IPv4 mask bits must be between 0 and 32/),
  bad('IPv6 mask too large', { cidr: '2001:db8::/129' }, /IPv6 mask bits must be between 0 and 128/),
  bad('cidr list', { cidr: ['bad-type'] }, /cidr match pattern must be a string/),
];

const orRules: Bad[] = [
  ['$or not an array', { $or: { a: ['1'] } }, /\$or must be an array/],
  ['$or with one object', { $or: [{ a: ['1'] }] }, /There must be at least 2 objects in \$or/],
  ['$or with a string element', { $or: [{ a: ['1'] }, 'b'] }, /Only JSON objects are allowed in \$or/],
  ['$or with an empty object', { $or: [{ a: ['1'] }, {}] }, /Empty objects are not allowed/],
  [
    '$or with an operator name as field',
    { $or: [{ numeric: [1] }, { prefix: ['a'] }] },
    /numeric is a reserved/,
  ],
];

describe('validateEventPattern', () => {
  it.each([...structure, ...operators, ...orRules])('rejects %s', (_title, pattern, message) => {
    expect(() => validateEventPattern(pattern)).toThrow(message);
  });

  it('throws InvalidEventPatternError with the AWS error code and the offending field', () => {
    let caught: unknown;
    try {
      validateEventPattern({ detail: { 'c-count': [{ numeric: ['>', 'x'] }] } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEventPatternError);
    const error = caught as InvalidEventPatternError;
    expect(error.code).toBe('InvalidEventPatternException');
    expect(error.name).toBe('InvalidEventPatternError');
    expect(error.message).toBe(
      'Event pattern is not valid. Reason: Value of > must be numeric at "detail.c-count"',
    );
  });

  it('accepts every documented operator together', () => {
    const pattern: EventPattern = {
      ...complex,
      region: [{ 'anything-but': { prefix: 'us-' } }],
      resources: [{ exists: true }, { suffix: '/x' }, { wildcard: '*' }, { cidr: '::/0' }, null, true, 1, ''],
      $or: [{ a: [{ 'equals-ignore-case': 'x' }] }, { b: [{ prefix: { 'equals-ignore-case': 'y' } }] }],
    };
    expect(() => validateEventPattern(pattern)).not.toThrow();
  });

  it('rejects an invalid pattern when matching too', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, ec2())).toThrow(InvalidEventPatternError);
  });
});
