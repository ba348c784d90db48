import type { TemplateResources } from './resources';
import type {
  ArchiveSpec,
  BusSpec,
  LogGroupSpec,
  QueueSpec,
  RuleSpec,
  RuleTargetSpec,
  TableSpec,
  TopicSpec,
} from './topology-types';

type Props = Record<string, unknown>;

/** Queue properties that are also CreateQueue attributes. */
const QUEUE_ATTRIBUTES = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'MaximumMessageSize',
  'ReceiveMessageWaitTimeSeconds',
  'FifoQueue',
  'ContentBasedDeduplication',
  'KmsMasterKeyId',
];

export function queuesOf(resources: TemplateResources): QueueSpec[] {
  return resources.ofType('AWS::SQS::Queue').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    const attributes: Record<string, string> = {};
    for (const name of QUEUE_ATTRIBUTES)
      if (props[name] !== undefined) attributes[name] = String(props[name]);
    const redrivePolicy = props.RedrivePolicy as
      | { deadLetterTargetArn?: string; maxReceiveCount?: number }
      | undefined;
    const redrive = redrivePolicy?.deadLetterTargetArn
      ? {
          deadLetterArn: redrivePolicy.deadLetterTargetArn,
          maxReceiveCount: Number(redrivePolicy.maxReceiveCount ?? 10),
        }
      : undefined;
    return {
      logicalId,
      name: String(physical?.attributes.QueueName),
      url: String(physical?.ref),
      arn: String(physical?.attributes.Arn),
      attributes,
      redrive,
    };
  });
}

export function tablesOf(resources: TemplateResources): TableSpec[] {
  return resources.ofType('AWS::DynamoDB::Table').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    const ttl = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    const definition: Props = {
      TableName: physical?.ref,
      KeySchema: props.KeySchema,
      AttributeDefinitions: props.AttributeDefinitions,
      BillingMode: props.BillingMode ?? 'PROVISIONED',
    };
    if (props.ProvisionedThroughput) definition.ProvisionedThroughput = props.ProvisionedThroughput;
    if (props.GlobalSecondaryIndexes) definition.GlobalSecondaryIndexes = props.GlobalSecondaryIndexes;
    if (props.LocalSecondaryIndexes) definition.LocalSecondaryIndexes = props.LocalSecondaryIndexes;
    return {
      logicalId,
      name: String(physical?.ref),
      arn: String(physical?.attributes.Arn),
      definition,
      ttlAttribute: ttl?.Enabled ? ttl.AttributeName : undefined,
    };
  });
}

export function busesOf(resources: TemplateResources): BusSpec[] {
  return resources.ofType('AWS::Events::EventBus').map((logicalId) => {
    const physical = resources.physicalOf(logicalId);
    return { logicalId, name: String(physical?.ref), arn: String(physical?.attributes.Arn) };
  });
}

function targetOf(raw: Props): RuleTargetSpec {
  const retry = raw.RetryPolicy as
    | { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number }
    | undefined;
  const sqs = raw.SqsParameters as { MessageGroupId?: string } | undefined;
  return {
    id: String(raw.Id),
    arn: String(raw.Arn),
    input: raw.Input as string | undefined,
    inputPath: raw.InputPath as string | undefined,
    inputTransformer: raw.InputTransformer as RuleTargetSpec['inputTransformer'],
    deadLetterArn: (raw.DeadLetterConfig as { Arn?: string } | undefined)?.Arn,
    // EventBridge's defaults when a target sets no retry policy.
    retryPolicy: {
      maximumEventAgeSeconds: retry?.MaximumEventAgeInSeconds ?? 86_400,
      maximumRetryAttempts: retry?.MaximumRetryAttempts ?? 185,
    },
    messageGroupId: sqs?.MessageGroupId,
  };
}

export function rulesOf(resources: TemplateResources): RuleSpec[] {
  return resources.ofType('AWS::Events::Rule').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    const ref = String(physical?.ref);
    const busName = ref.includes('|') ? (ref.split('|')[0] ?? 'default') : 'default';
    return {
      logicalId,
      name: ref.split('|').pop() ?? ref,
      arn: String(physical?.attributes.Arn),
      busName,
      pattern: props.EventPattern as Props | undefined,
      scheduleExpression: props.ScheduleExpression as string | undefined,
      enabled: props.State !== 'DISABLED',
      description: props.Description as string | undefined,
      targets: ((props.Targets as Props[] | undefined) ?? []).map(targetOf),
    };
  });
}

export function archivesOf(resources: TemplateResources): ArchiveSpec[] {
  return resources.ofType('AWS::Events::Archive').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    return {
      logicalId,
      name: String(physical?.ref),
      arn: String(physical?.attributes.Arn),
      sourceArn: String(props.SourceArn),
      pattern: props.EventPattern as Props | undefined,
      retentionDays: props.RetentionDays as number | undefined,
    };
  });
}

export function logGroupsOf(resources: TemplateResources): LogGroupSpec[] {
  return resources.ofType('AWS::Logs::LogGroup').map((logicalId) => {
    const props = resources.properties(logicalId);
    const physical = resources.physicalOf(logicalId);
    return {
      logicalId,
      name: String(physical?.ref),
      arn: String(physical?.attributes.Arn),
      retentionDays: props.RetentionInDays as number | undefined,
    };
  });
}

export function topicsOf(resources: TemplateResources): TopicSpec[] {
  return resources.ofType('AWS::SNS::Topic').map((logicalId) => {
    const physical = resources.physicalOf(logicalId);
    return { logicalId, name: String(physical?.attributes.TopicName), arn: String(physical?.ref) };
  });
}
