import { serviceForThisAccount } from '../../lib/security/service-principals';
import { testStack } from '../support/stacks';

describe('serviceForThisAccount', () => {
  it('is the service principal limited to the stack account', () => {
    const stack = testStack();
    const principal = serviceForThisAccount(stack, 'events.amazonaws.com');
    expect(stack.resolve(principal.policyFragment.principalJson)).toEqual({
      Service: ['events.amazonaws.com'],
    });
    expect(stack.resolve(principal.policyFragment.conditions)).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
  });
});
