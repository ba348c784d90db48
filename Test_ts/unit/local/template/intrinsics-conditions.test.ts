import { evaluateCondition } from '../../../../local/template/intrinsics';
import { captureError, ctx, makeContext, resolve } from '../../../fixtures/template/intrinsic-context';

describe('Fn::If', () => {
  it('picks the branch for the condition', () => {
    expect(resolve({ 'Fn::If': ['IsDev', 'debug', 'info'] })).toBe('debug');
    expect(resolve({ 'Fn::If': ['IsProd', 'debug', 'info'] })).toBe('info');
  });

  it('resolves only the branch it picks', () => {
    const input = { 'Fn::If': ['IsDev', { Ref: 'EnvName' }, { Ref: 'OnlyInProd' }] };
    expect(resolve(input)).toBe('dev');
  });

  it('removes a key whose chosen branch is AWS::NoValue', () => {
    const input = {
      FunctionName: 'ingest',
      ReservedConcurrentExecutions: { 'Fn::If': ['IsProd', 10, { Ref: 'AWS::NoValue' }] },
    };
    expect(resolve(input)).toEqual({ FunctionName: 'ingest' });
  });

  it('removes an array element whose chosen branch is AWS::NoValue', () => {
    const input = ['a', { 'Fn::If': ['IsProd', 'b', { Ref: 'AWS::NoValue' }] }, 'c'];
    expect(resolve(input)).toEqual(['a', 'c']);
  });

  it('throws naming an unknown condition and the path', () => {
    const error = captureError(() => resolve({ L: { 'Fn::If': ['Nope', 1, 2] } }, 'P'));
    expect(error.message).toContain('Nope');
    expect(error.path).toContain('P.L');
  });
});

describe('conditions', () => {
  it('evaluates Fn::Equals on resolved values', () => {
    expect(evaluateCondition('IsDev', ctx)).toBe(true);
    expect(evaluateCondition('IsProd', ctx)).toBe(false);
  });

  it('compares numbers and strings by their string form, lists by content', () => {
    const conditions = {
      NumberVsString: { 'Fn::Equals': [{ Ref: 'Port' }, '5432'] },
      Lists: { 'Fn::Equals': [{ Ref: 'Subnets' }, ['subnet-a', 'subnet-b', 'subnet-c']] },
    };
    const local = makeContext({ conditions });
    expect(evaluateCondition('NumberVsString', local)).toBe(true);
    expect(evaluateCondition('Lists', local)).toBe(true);
  });

  it('evaluates Fn::Not, Fn::And, Fn::Or and Condition references', () => {
    expect(evaluateCondition('NotProd', ctx)).toBe(true);
    expect(evaluateCondition('DevOrProd', ctx)).toBe(true);
    expect(evaluateCondition('DevAndNotProd', ctx)).toBe(true);
  });

  it('evaluates the region condition CDK adds for its metadata resource', () => {
    const conditions = {
      CDKMetadataAvailable: {
        'Fn::Or': [
          {
            'Fn::Or': [
              { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'af-south-1'] },
              { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
            ],
          },
          { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        ],
      },
    };
    expect(evaluateCondition('CDKMetadataAvailable', makeContext({ conditions }))).toBe(true);
    expect(evaluateCondition('CDKMetadataAvailable', makeContext({ conditions, region: 'xx-1' }))).toBe(
      false,
    );
  });

  it('supports inline condition functions inside others, and Fn::Contains from CDK rules', () => {
    const conditions = {
      Inline: {
        'Fn::And': [
          { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'EnvName' }, 'prod'] }] },
          { 'Fn::Contains': [['dev', 'test'], { Ref: 'EnvName' }] },
        ],
      },
    };
    expect(evaluateCondition('Inline', makeContext({ conditions }))).toBe(true);
  });

  it('makes condition functions usable in resolveIntrinsics too', () => {
    expect(resolve({ 'Fn::Not': [{ Condition: 'IsDev' }] })).toBe(false);
  });

  it('throws on an unknown condition, naming it', () => {
    const error = captureError(() => evaluateCondition('Missing', ctx));
    expect(error.message).toContain('Missing');
    expect(error.path).toBe('Conditions.Missing');
  });

  it('throws when the template has no Conditions section', () => {
    expect(() => evaluateCondition('IsDev', makeContext({ conditions: undefined }))).toThrow(/IsDev/);
  });

  it('throws on a cycle instead of overflowing the stack', () => {
    const conditions = { A: { 'Fn::Not': [{ Condition: 'B' }] }, B: { 'Fn::Not': [{ Condition: 'A' }] } };
    expect(() => evaluateCondition('A', makeContext({ conditions }))).toThrow(/A -> B -> A/);
  });

  it.each([
    ['Fn::And with one condition', { 'Fn::And': [{ Condition: 'IsDev' }] }],
    [
      'Fn::Or with eleven conditions',
      { 'Fn::Or': Array.from({ length: 11 }, () => ({ Condition: 'IsDev' })) },
    ],
    ['Fn::Not with two conditions', { 'Fn::Not': [{ Condition: 'IsDev' }, { Condition: 'IsProd' }] }],
    ['Fn::Equals with one value', { 'Fn::Equals': ['a'] }],
    ['a condition that is not a boolean', { 'Fn::Not': ['maybe'] }],
    ['a non-condition value', { Ref: 'EnvName' }],
  ])('throws on %s', (_label, condition) => {
    const error = captureError(() =>
      evaluateCondition('Bad', makeContext({ conditions: { Bad: condition } })),
    );
    expect(error.path).toContain('Conditions.Bad');
  });

  it('accepts literal booleans and "true"/"false" strings as conditions', () => {
    const conditions = { Yes: { 'Fn::And': [true, 'true'] }, No: { 'Fn::Or': [false, 'false'] } };
    const local = makeContext({ conditions });
    expect(evaluateCondition('Yes', local)).toBe(true);
    expect(evaluateCondition('No', local)).toBe(false);
  });
});
