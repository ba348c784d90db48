import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { NAG_ACKNOWLEDGEMENTS } from '../../lib/compliance/nag-acknowledgements';
import { createJunctionApp } from '../../lib/junction-app';
import { testApp } from '../support/cdk-app';

function findings(stage: string) {
  const app = testApp({ context: { stage } });
  createJunctionApp(app);
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack.validateScope(app).violations.map((violation) => ({
      rule: violation.ruleName,
      resources: violation.violatingResources.map((resource) => resource.constructPath),
    })),
  );
}

describe('cdk-nag gate', () => {
  it.each(['dev', 'prod'])('leaves no unacknowledged AwsSolutions or Serverless finding in %s', (stage) => {
    expect(findings(stage)).toEqual([]);
  });

  it('fails synth on a finding nobody acknowledged', () => {
    const app = testApp();
    const stack = createJunctionApp(app);
    new Queue(stack, 'Careless', { encryption: QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/ERROR .*\n\s+Junction-dev\/Careless\/Resource/);
  });

  it('passes synth when every finding is acknowledged', () => {
    const app = testApp();
    createJunctionApp(app);
    expect(() => app.synth()).not.toThrow();
  });

  it('gives every acknowledgement a rule, the resources it covers and a reason', () => {
    for (const acknowledgement of NAG_ACKNOWLEDGEMENTS) {
      expect(acknowledgement.rule).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(acknowledgement.resources.length).toBeGreaterThan(3);
      expect(acknowledgement.reason.length).toBeGreaterThan(40);
    }
  });
});
