// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Fn::Sub templates are CloudFormation strings, not JS templates.
import { resolveIntrinsics } from '../../../../local/template/intrinsics';
import {
  captureError,
  makeContext,
  QUEUE_ARN,
  QUEUE_URL,
  ROLE_ARN,
  resolve,
} from '../../../fixtures/template/intrinsic-context';

describe('resolveIntrinsics: plain values', () => {
  it.each([['text'], [42], [true], [null]])('returns the scalar %p unchanged', (value) => {
    expect(resolve(value)).toBe(value);
  });

  it('resolves objects key by key and arrays element by element', () => {
    const input = { A: [{ Ref: 'EnvName' }, 'x'], B: { C: { Ref: 'AWS::Region' } } };
    expect(resolve(input)).toEqual({ A: ['dev', 'x'], B: { C: 'eu-west-1' } });
  });

  it('treats an object with more than one key as plain data, even if one key is Ref', () => {
    const input = { Ref: { Ref: 'EnvName' }, Other: 1 };
    expect(resolve(input)).toEqual({ Ref: 'dev', Other: 1 });
  });

  it('treats a single-key object whose key is not an intrinsic as plain data', () => {
    expect(resolve({ Condition: 'IsDev' })).toEqual({ Condition: 'IsDev' });
    expect(resolve({ Fn: 'x' })).toEqual({ Fn: 'x' });
  });

  it('does not mutate its input', () => {
    const input = { Env: { Ref: 'EnvName' }, Gone: { Ref: 'AWS::NoValue' } };
    const copy = structuredClone(input);
    resolve(input);
    expect(input).toEqual(copy);
  });
});

describe('Ref', () => {
  it('resolves a resource logical id (a Lambda environment variable as CDK renders it)', () => {
    const env = { Variables: { QUEUE_URL: { Ref: 'AnalyticsQueue1234' } } };
    expect(resolve(env)).toEqual({ Variables: { QUEUE_URL } });
  });

  it('resolves a parameter, whatever its type', () => {
    expect(resolve({ Ref: 'EnvName' })).toBe('dev');
    expect(resolve({ Ref: 'Subnets' })).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
  });

  it.each([
    ['AWS::AccountId', '000000000000'],
    ['AWS::Region', 'eu-west-1'],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
    ['AWS::StackName', 'Junction-dev'],
    ['AWS::StackId', 'arn:aws:cloudformation:eu-west-1:000000000000:stack/Junction-dev/1234'],
  ])('resolves the pseudo parameter %s', (name, expected) => {
    expect(resolve({ Ref: name })).toBe(expected);
  });

  it('resolves AWS::NotificationARNs to an empty list', () => {
    expect(resolve({ Ref: 'AWS::NotificationARNs' })).toEqual([]);
  });

  it('does not ask the context about pseudo parameters', () => {
    const ref = jest.fn(() => 'wrong');
    expect(resolveIntrinsics({ Ref: 'AWS::Region' }, makeContext({ ref }))).toBe('eu-west-1');
    expect(ref).not.toHaveBeenCalled();
  });

  it('throws naming the logical id and the path when the context does not know it', () => {
    const input = { Properties: { Environment: { Variables: { QUEUE_URL: { Ref: 'MissingQueue' } } } } };
    const error = captureError(() => resolve(input));
    expect(error.path).toBe('Properties.Environment.Variables.QUEUE_URL');
    expect(error.message).toContain('MissingQueue');
    expect(error.message).toContain('Properties.Environment.Variables.QUEUE_URL');
  });

  it('throws on an unknown AWS:: pseudo parameter', () => {
    const error = captureError(() => resolve({ Ref: 'AWS::Bogus' }, 'Outputs.X'));
    expect(error.message).toContain('AWS::Bogus');
    expect(error.path).toBe('Outputs.X');
  });
});

describe('AWS::NoValue', () => {
  it('removes an object key', () => {
    expect(resolve({ A: 1, B: { Ref: 'AWS::NoValue' } })).toEqual({ A: 1 });
  });

  it('removes an array element', () => {
    expect(resolve(['a', { Ref: 'AWS::NoValue' }, 'b'])).toEqual(['a', 'b']);
  });

  it('removes deeply nested entries and leaves empty containers in place', () => {
    const input = { Outer: { Inner: [{ Ref: 'AWS::NoValue' }], Key: { Ref: 'AWS::NoValue' } } };
    expect(resolve(input)).toEqual({ Outer: { Inner: [] } });
  });

  it('resolves to undefined at the top level', () => {
    expect(resolve({ Ref: 'AWS::NoValue' })).toBeUndefined();
  });
});

describe('Fn::GetAtt', () => {
  it('resolves the array form', () => {
    expect(resolve({ 'Fn::GetAtt': ['AnalyticsQueue1234', 'Arn'] })).toBe(QUEUE_ARN);
  });

  it('resolves the "Logical.Attr" string form', () => {
    expect(resolve({ 'Fn::GetAtt': 'IngestRoleABCD.Arn' })).toBe(ROLE_ARN);
  });

  it('keeps nested attribute names whole in both forms', () => {
    expect(resolve({ 'Fn::GetAtt': ['Database', 'Endpoint.Address'] })).toBe('127.0.0.1');
    expect(resolve({ 'Fn::GetAtt': 'Database.Endpoint.Port' })).toBe('5432');
  });

  it('accepts an attribute name given by Ref', () => {
    const input = { 'Fn::GetAtt': ['AnalyticsQueue1234', { Ref: 'AttrParam' }] };
    expect(resolve(input)).toBe('AnalyticsQueue1234');
  });

  it('throws naming the logical id, the attribute and the path when unknown', () => {
    const input = { Variables: { QUEUE_ARN: { 'Fn::GetAtt': ['AnalyticsQueue1234', 'DeadLetterArn'] } } };
    const error = captureError(() => resolve(input, 'Properties.Environment'));
    expect(error.path).toBe('Properties.Environment.Variables.QUEUE_ARN');
    expect(error.message).toContain('AnalyticsQueue1234');
    expect(error.message).toContain('DeadLetterArn');
    expect(error.message).toContain('Properties.Environment.Variables.QUEUE_ARN');
  });
});

describe('Fn::Join', () => {
  it('builds an ARN from the partition, region and account pseudo parameters', () => {
    const head = ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }, ':'];
    const tail = [{ Ref: 'AWS::AccountId' }, ':', { 'Fn::GetAtt': ['AnalyticsQueue1234', 'QueueName'] }];
    const arn = { 'Fn::Join': ['', [...head, ...tail]] };
    expect(resolve(arn)).toBe(QUEUE_ARN);
  });

  it('joins a list returned by another intrinsic', () => {
    expect(resolve({ 'Fn::Join': [',', { Ref: 'Subnets' }] })).toBe('subnet-a,subnet-b,subnet-c');
  });

  it('joins an empty list to an empty string and stringifies numbers', () => {
    expect(resolve({ 'Fn::Join': ['-', []] })).toBe('');
    expect(resolve({ 'Fn::Join': [':', ['localhost', { Ref: 'Port' }]] })).toBe('localhost:5432');
  });

  it('skips elements that resolve to AWS::NoValue', () => {
    const input = { 'Fn::Join': ['/', ['a', { 'Fn::If': ['IsProd', 'b', { Ref: 'AWS::NoValue' }] }, 'c']] };
    expect(resolve(input)).toBe('a/c');
  });

  it('throws when an element is not a string', () => {
    const error = captureError(() => resolve({ 'Fn::Join': ['', ['a', { b: 1 }]] }, 'Arn'));
    expect(error.message).toContain('Fn::Join');
    expect(error.path).toBe('Arn');
  });
});

describe('Fn::Sub', () => {
  it('renders an API Gateway URL the way CDK does, with ${AWS::URLSuffix}', () => {
    const template = 'https://${JunctionApi1234}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod/';
    expect(resolve({ 'Fn::Sub': template })).toBe(
      'https://abc123api.execute-api.eu-west-1.amazonaws.com/prod/',
    );
  });

  it('substitutes every pseudo parameter', () => {
    const template = '${AWS::Partition}|${AWS::Region}|${AWS::AccountId}|${AWS::StackName}|${AWS::URLSuffix}';
    expect(resolve({ 'Fn::Sub': template })).toBe('aws|eu-west-1|000000000000|Junction-dev|amazonaws.com');
  });

  it('substitutes ${Logical.Attr} like Fn::GetAtt, nested attribute names included', () => {
    const input = { 'Fn::Sub': '${AnalyticsQueue1234.Arn} on ${Database.Endpoint.Address}' };
    expect(resolve(input)).toBe(`${QUEUE_ARN} on 127.0.0.1`);
  });

  it('writes ${!Literal} as ${Literal}', () => {
    expect(resolve({ 'Fn::Sub': 'echo ${!HOME} in ${AWS::Region}' })).toBe('echo ${HOME} in eu-west-1');
  });

  it('returns a string without variables unchanged', () => {
    expect(resolve({ 'Fn::Sub': 'plain $ {text}' })).toBe('plain $ {text}');
  });

  it('resolves the [string, variables] form; variables win over logical ids', () => {
    const input = {
      'Fn::Sub': [
        'arn:${AWS::Partition}:sqs:${Region}:${AnalyticsQueue1234}:${Name}',
        {
          Region: { Ref: 'AWS::Region' },
          AnalyticsQueue1234: 'shadowed',
          Name: { 'Fn::GetAtt': ['AnalyticsQueue1234', 'QueueName'] },
        },
      ],
    };
    expect(resolve(input)).toBe('arn:aws:sqs:eu-west-1:shadowed:AnalyticsQueue1234');
  });

  it('stringifies numeric values', () => {
    expect(resolve({ 'Fn::Sub': 'localhost:${Port}' })).toBe('localhost:5432');
  });

  it('throws naming the variable and the path when a variable is unknown', () => {
    const input = { Url: { 'Fn::Sub': 'https://${MissingApi}.example.com' } };
    const error = captureError(() => resolve(input, 'Outputs'));
    expect(error.message).toContain('MissingApi');
    expect(error.path).toBe('Outputs.Url');
  });

  it('throws naming the logical id and attribute when ${Logical.Attr} is unknown', () => {
    const error = captureError(() => resolve({ 'Fn::Sub': '${AnalyticsQueue1234.Nope}' }, 'X'));
    expect(error.message).toContain('AnalyticsQueue1234');
    expect(error.message).toContain('Nope');
  });

  it('throws when a substituted value is not a string', () => {
    const error = captureError(() => resolve({ 'Fn::Sub': '${Subnets}' }, 'X'));
    expect(error.message).toContain('Subnets');
  });
});

describe('Fn::Select and Fn::Split', () => {
  it('selects by numeric or string index', () => {
    expect(resolve({ 'Fn::Select': [1, ['a', 'b', 'c']] })).toBe('b');
    expect(resolve({ 'Fn::Select': ['2', { Ref: 'Subnets' }] })).toBe('subnet-c');
  });

  it('splits a string', () => {
    expect(resolve({ 'Fn::Split': ['|', 'a|b||c'] })).toEqual(['a', 'b', '', 'c']);
  });

  it('extracts a queue name from its ARN (Select of Split of GetAtt, a CDK pattern)', () => {
    const arn = { 'Fn::GetAtt': ['AnalyticsQueue1234', 'Arn'] };
    const input = { 'Fn::Select': [5, { 'Fn::Split': [':', arn] }] };
    expect(resolve(input)).toBe('AnalyticsQueue1234');
  });
});

describe('Fn::FindInMap', () => {
  it('finds a value, with keys given by intrinsics', () => {
    expect(resolve({ 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'Tier'] })).toBe('gold');
    expect(resolve({ 'Fn::FindInMap': ['RegionMap', 'eu-west-1', 'Zones'] })).toEqual(['a', 'b']);
  });

  it('falls back to DefaultValue when a key is missing (language extensions)', () => {
    const fallback = { DefaultValue: { Ref: 'Subnets' } };
    const input = { 'Fn::FindInMap': ['RegionMap', 'us-east-1', 'Zones', fallback] };
    expect(resolve(input)).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
  });

  it('does not resolve DefaultValue when the key exists', () => {
    const input = { 'Fn::FindInMap': ['RegionMap', 'us-east-1', 'Tier', { DefaultValue: { Ref: 'Nope' } }] };
    expect(resolve(input)).toBe('silver');
  });

  it.each([
    ['the map', ['NoMap', 'eu-west-1', 'Tier'], 'NoMap'],
    ['the top-level key', ['RegionMap', 'ap-south-1', 'Tier'], 'ap-south-1'],
    ['the second-level key', ['RegionMap', 'us-east-1', 'Zones'], 'Zones'],
  ])('throws naming %s when it is missing', (_label, argument, name) => {
    const error = captureError(() => resolve({ 'Fn::FindInMap': argument }, 'P'));
    expect(error.message).toContain(name);
    expect(error.path).toBe('P');
  });

  it('throws when the template has no Mappings section', () => {
    const input = { 'Fn::FindInMap': ['RegionMap', 'eu-west-1', 'Tier'] };
    expect(() => resolveIntrinsics(input, makeContext({ mappings: undefined }))).toThrow(/RegionMap/);
  });
});

describe('Fn::Base64, Fn::GetAZs, Fn::Length, Fn::ToJsonString', () => {
  it('Fn::Base64 encodes UTF-8 text, including a nested Fn::Sub', () => {
    expect(resolve({ 'Fn::Base64': 'héllo' })).toBe(Buffer.from('héllo').toString('base64'));
    const input = { 'Fn::Base64': { 'Fn::Sub': 'region=${AWS::Region}' } };
    expect(Buffer.from(String(resolve(input)), 'base64').toString()).toBe('region=eu-west-1');
  });

  it.each([[''], [{ Ref: 'AWS::Region' }]])('Fn::GetAZs of %p lists three stack-region zones', (arg) => {
    expect(resolve({ 'Fn::GetAZs': arg })).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('Fn::GetAZs lists zones of an explicit region, and Select picks one', () => {
    expect(resolve({ 'Fn::GetAZs': 'us-east-1' })).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(resolve({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toBe('eu-west-1a');
  });

  it('Fn::Length counts a literal list, a Split and a list parameter', () => {
    expect(resolve({ 'Fn::Length': [1, { Ref: 'EnvName' }, 3] })).toBe(3);
    expect(resolve({ 'Fn::Length': { 'Fn::Split': ['|', 'a|b|c|d'] } })).toBe(4);
    expect(resolve({ 'Fn::Length': { Ref: 'Subnets' } })).toBe(3);
  });

  it('Fn::ToJsonString serialises a resolved object or list', () => {
    const object = { 'Fn::ToJsonString': { key1: 'value1', key2: { Ref: 'EnvName' } } };
    expect(resolve(object)).toBe('{"key1":"value1","key2":"dev"}');
    const list = { 'Fn::ToJsonString': [{ key1: 'value1' }, { key2: { Ref: 'EnvName' } }] };
    expect(resolve(list)).toBe('[{"key1":"value1"},{"key2":"dev"}]');
  });
});

describe('malformed arguments', () => {
  it.each([
    ['Ref', { Ref: 42 }],
    ['Fn::GetAtt', { 'Fn::GetAtt': 'JustALogicalId' }],
    ['Fn::GetAtt', { 'Fn::GetAtt': ['AnalyticsQueue1234'] }],
    ['Fn::GetAtt', { 'Fn::GetAtt': [1, 'Arn'] }],
    ['Fn::Join', { 'Fn::Join': [''] }],
    ['Fn::Join', { 'Fn::Join': ['', 'abc'] }],
    ['Fn::Join', { 'Fn::Join': [1, ['a']] }],
    ['Fn::Sub', { 'Fn::Sub': 5 }],
    ['Fn::Sub', { 'Fn::Sub': ['a', {}, 'c'] }],
    ['Fn::Sub', { 'Fn::Sub': ['a', 'b'] }],
    ['Fn::Select', { 'Fn::Select': [3, ['a']] }],
    ['Fn::Select', { 'Fn::Select': [-1, ['a']] }],
    ['Fn::Select', { 'Fn::Select': ['first', ['a']] }],
    ['Fn::Select', { 'Fn::Select': [0, 'abc'] }],
    ['Fn::Split', { 'Fn::Split': [',', ['a']] }],
    ['Fn::If', { 'Fn::If': ['IsDev', 1] }],
    ['Fn::Base64', { 'Fn::Base64': ['a'] }],
    ['Fn::GetAZs', { 'Fn::GetAZs': 1 }],
    ['Fn::Length', { 'Fn::Length': 'abc' }],
    ['Fn::ToJsonString', { 'Fn::ToJsonString': 'abc' }],
    ['Fn::FindInMap', { 'Fn::FindInMap': ['RegionMap', 'eu-west-1'] }],
  ])('%s throws on %j, naming the function and the path', (name, input) => {
    const error = captureError(() => resolve({ Value: input }, 'P'));
    expect(error.message).toContain(name);
    expect(error.path).toBe('P.Value');
  });
});

describe('unsupported functions', () => {
  it('throws on Fn::ImportValue, naming the function and the path', () => {
    const input = { Properties: { TopicArn: { 'Fn::ImportValue': 'shared-TopicArn' } } };
    const error = captureError(() => resolve(input));
    expect(error.message).toContain('Fn::ImportValue');
    expect(error.message).toContain('Properties.TopicArn');
    expect(error.path).toBe('Properties.TopicArn');
  });

  it('throws on any other Fn:: function, naming it and the path', () => {
    const input = { Cidr: { 'Fn::Cidr': ['10.0.0.0/16', 6, 5] } };
    const error = captureError(() => resolve(input, 'Resources.Vpc.Properties'));
    expect(error.message).toContain('Fn::Cidr');
    expect(error.path).toBe('Resources.Vpc.Properties.Cidr');
  });
});

describe('nesting and error paths', () => {
  it('resolves a Join of a Sub of a GetAtt', () => {
    const input = {
      'Fn::Join': [
        '',
        [{ 'Fn::Sub': ['${Arn}/*', { Arn: { 'Fn::GetAtt': ['AnalyticsQueue1234', 'Arn'] } }] }, '?x=1'],
      ],
    };
    expect(resolve(input)).toBe(`${QUEUE_ARN}/*?x=1`);
  });

  it('resolves a CDK-shaped Lambda function resource', () => {
    const properties = {
      Role: { 'Fn::GetAtt': ['IngestRoleABCD', 'Arn'] },
      Environment: {
        Variables: {
          QUEUE_URL: { Ref: 'AnalyticsQueue1234' },
          QUEUE_ARN: { 'Fn::GetAtt': ['AnalyticsQueue1234', 'Arn'] },
          LOG_LEVEL: { 'Fn::If': ['IsDev', 'DEBUG', 'INFO'] },
          OPTIONAL: { 'Fn::If': ['IsProd', 'x', { Ref: 'AWS::NoValue' }] },
        },
      },
      TracingConfig: { Mode: 'Active' },
      Layers: [{ 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:094274105915:layer:Powertools:7' }],
    };
    expect(resolve(properties, 'Properties')).toEqual({
      Role: ROLE_ARN,
      Environment: { Variables: { QUEUE_URL, QUEUE_ARN, LOG_LEVEL: 'DEBUG' } },
      TracingConfig: { Mode: 'Active' },
      Layers: ['arn:aws:lambda:eu-west-1:094274105915:layer:Powertools:7'],
    });
  });

  it('reports a path through arrays and into the arguments of the failing function', () => {
    const input = {
      Statement: [
        { Resource: 'ok' },
        { Resource: { 'Fn::Join': ['', ['arn:', { 'Fn::GetAtt': ['Gone', 'Arn'] }]] } },
      ],
    };
    const error = captureError(() => resolve(input, 'Properties.PolicyDocument'));
    expect(error.path).toMatch(/^Properties\.PolicyDocument\.Statement\[1\]\.Resource\b/);
    expect(error.message).toContain('Gone');
    expect(error.message).toContain(error.path);
  });

  it('names the root when no path is given', () => {
    const error = captureError(() => resolve({ Ref: 'Nope' }));
    expect(error.path).toBe('');
    expect(error.message).toMatch(/<root>/);
  });

  it('gives the error a useful name', () => {
    expect(captureError(() => resolve({ Ref: 'Nope' })).name).toBe('UnresolvableIntrinsicError');
  });
});
