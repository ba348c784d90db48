import { Match } from 'aws-cdk-lib/assertions';
import { MachineAuth } from '../../lib/edge/machine-auth';
import { templateOf, testStack } from '../support/stacks';

function auth() {
  const stack = testStack();
  const machineAuth = new MachineAuth(stack, 'Auth', {
    stageName: 'dev',
    resourceServers: { orders: { write: 'Create orders', read: 'Read orders' } },
  });
  return { stack, machineAuth };
}

describe('MachineAuth', () => {
  it('has a user pool nobody can sign up to, with MFA and a strong password policy should a person ever exist', () => {
    const { stack } = auth();
    templateOf(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true }) },
    });
  });

  it('serves the token endpoint on a domain named after the stage and account', () => {
    const { stack, machineAuth } = auth();
    templateOf(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['-', ['junction-dev', { Ref: 'AWS::AccountId' }]] },
    });
    expect(stack.resolve(machineAuth.tokenUrl)).toEqual({ 'Fn::Join': expect.any(Array) });
    expect(JSON.stringify(stack.resolve(machineAuth.tokenUrl))).toContain('/oauth2/token');
  });

  it('declares the resource server scopes', () => {
    const { stack, machineAuth } = auth();
    templateOf(stack).hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'orders',
      Scopes: [
        { ScopeName: 'write', ScopeDescription: 'Create orders' },
        { ScopeName: 'read', ScopeDescription: 'Read orders' },
      ],
    });
    expect(machineAuth.scopeNames).toEqual(['orders/write', 'orders/read']);
  });

  it('gives a client a client-credentials app client with a secret and only its scopes', () => {
    const { stack, machineAuth } = auth();
    machineAuth.addClient('partner', ['orders/write']);
    templateOf(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [{ 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('ordersServer') }, '/write']] }],
      AccessTokenValidity: 60,
      EnableTokenRevocation: true,
    });
  });

  it('fails if a client asks for a scope no resource server declares', () => {
    const { machineAuth } = auth();
    expect(() => machineAuth.addClient('rogue', ['orders/delete'])).toThrow(
      'Client "rogue" asks for unknown scope "orders/delete" (known: orders/write, orders/read)',
    );
  });
});
