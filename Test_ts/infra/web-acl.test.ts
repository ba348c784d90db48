import { Match } from 'aws-cdk-lib/assertions';
import { ApiWebAcl } from '../../lib/edge/web-acl';
import { bareRestApi } from '../support/rest-api';
import { templateOf, testStack } from '../support/stacks';

function webAcl(rateLimitPer5Minutes: number) {
  const stack = testStack();
  new ApiWebAcl(stack, 'Firewall', { stage: bareRestApi(stack).deploymentStage, rateLimitPer5Minutes });
  return templateOf(stack);
}

describe('ApiWebAcl', () => {
  it('applies the AWS common rule set and a per-IP rate limit', () => {
    webAcl(1000).hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          OverrideAction: { None: {} },
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
            }),
          },
        }),
        Match.objectLike({
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
          },
        }),
      ],
    });
  });

  it("counts instead of blocking the common rules' 8 KB body limit, which the handlers enforce themselves", () => {
    webAcl(1000).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            }),
          },
        }),
      ]),
    });
  });

  it('is associated with the API stage', () => {
    webAcl(1000).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FirewallWebAcl'), 'Arn'] },
    });
  });

  it.each([5, 2_000_000_001, 10.5])('fails if the rate limit is %p', (limit) => {
    expect(() => webAcl(limit)).toThrow(
      `wafRateLimitPer5Minutes must be a whole number from 10 to 2000000000, got ${limit}`,
    );
  });
});
