import { policyAllows } from '../../../../local/apigateway/authorize';

const arn = 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/POST/v1/orders';
const policy = (Effect: string, Resource: string | string[]) => ({
  principalId: 'user',
  policyDocument: { Statement: [{ Effect, Action: 'execute-api:Invoke', Resource }] },
});

describe('policyAllows', () => {
  it('allows a method the policy allows, with IAM wildcards', () => {
    expect(policyAllows(policy('Allow', arn), arn)).toBe(true);
    expect(
      policyAllows(policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/*'), arn),
    ).toBe(true);
    expect(policyAllows(policy('Allow', ['arn:aws:execute-api:*:*:*/*/GET/*', arn]), arn)).toBe(true);
  });

  it('denies a method no statement covers, and an explicit deny wins', () => {
    expect(
      policyAllows(policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:abc123/dev/GET/*'), arn),
    ).toBe(false);
    const both = {
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Resource: '*' },
          { Effect: 'Deny', Resource: arn },
        ],
      },
    };
    expect(policyAllows(both, arn)).toBe(false);
    expect(policyAllows({}, arn)).toBe(false);
  });
});
