import { ArnFormat, type Duration, Stack } from 'aws-cdk-lib';
import type { IRule, IRuleTarget, RuleTargetConfig } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

export interface LogGroupTargetOptions {
  readonly deadLetterQueue: IQueue;
  readonly maxEventAge: Duration;
  readonly retryAttempts: number;
}

/**
 * Writes a rule's events to a log group. CDK's CloudWatchLogGroup target sets the log group's
 * resource policy through a custom resource (and its Lambda); this target uses the native
 * AWS::Logs::ResourcePolicy instead, limited to the one rule.
 */
export class LogGroupTarget implements IRuleTarget {
  constructor(
    private readonly logGroup: LogGroup,
    private readonly options: LogGroupTargetOptions,
  ) {}

  bind(rule: IRule): RuleTargetConfig {
    const events = new ServicePrincipal('events.amazonaws.com');
    const fromThisRule = { ArnEquals: { 'aws:SourceArn': rule.ruleArn } };
    this.logGroup.addToResourcePolicy(
      new PolicyStatement({
        principals: [events, new ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
        conditions: fromThisRule,
      }),
    );
    const { deadLetterQueue, maxEventAge, retryAttempts } = this.options;
    deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        principals: [events],
        actions: ['sqs:SendMessage'],
        resources: [deadLetterQueue.queueArn],
        conditions: fromThisRule,
      }),
    );
    return {
      arn: Stack.of(this.logGroup).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: this.logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      deadLetterConfig: { arn: deadLetterQueue.queueArn },
      retryPolicy: { maximumEventAgeInSeconds: maxEventAge.toSeconds(), maximumRetryAttempts: retryAttempts },
    };
  }
}
