import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { LocalCloud } from '../../../local/cloud';
import { FixtureStack } from '../../fixtures/local-cloud/fixture-stack';
import { isHashedId } from '../../fixtures/template/junction-assembly';
import { clientConfig, inspect, startTestCloud, waitFor } from '../../support/local-cloud';

// The local cloud running a fixture stack, driven only through real clients (AWS SDK v3, HTTP).

let cloud: LocalCloud;
let sqs: SQSClient;
/** The URL of the queue whose logical id is `name` and CDK's hash suffix. */
const queueUrl = (name: string) => {
  const queue = cloud.started.topology.queues.find((candidate) => isHashedId(candidate.logicalId, name));
  if (!queue) throw new Error(`no queue ${name}`);
  return queue.url;
};
const fnName = (prefix: string) =>
  cloud.started.topology.functions.find((fn) => fn.logicalId.startsWith(prefix))?.name ?? '';

interface LogEvents {
  events: { message: string }[];
}

async function receivedBodies(): Promise<{ body: string; receive_count: number }[]> {
  const group =
    cloud.started.topology.functions.find((fn) => fn.logicalId.startsWith('FlakyConsumer'))?.logGroupName ??
    '';
  const { events } = await inspect<LogEvents>(
    cloud,
    `/logs?group=${encodeURIComponent(group)}&contains=received`,
  );
  return events.map((event) => JSON.parse(event.message));
}

beforeAll(async () => {
  cloud = await startTestCloud({ build: (app) => new FixtureStack(app, 'Fixture'), timeScale: 0.05 });
  sqs = new SQSClient(clientConfig(cloud));
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

describe('SQS event source mapping', () => {
  it('retries only the record that failed in a batch', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl('WorkQueue'),
        Entries: [
          { Id: '1', MessageBody: 'ok-1' },
          { Id: '2', MessageBody: 'fail-once-1' },
        ],
      }),
    );
    const seen = await waitFor(async () => {
      const bodies = await receivedBodies();
      return bodies.filter((entry) => entry.body === 'fail-once-1').length >= 2 ? bodies : undefined;
    }, 'the failed record to come back');
    expect(seen.filter((entry) => entry.body === 'ok-1')).toHaveLength(1);
    expect(seen.filter((entry) => entry.body === 'fail-once-1').map((entry) => entry.receive_count)).toEqual([
      1, 2,
    ]);
  });

  it('moves a poison message to the DLQ after maxReceiveCount receives', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('WorkQueue'), MessageBody: 'poison' }));
    const dead = await waitFor(
      async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl('WorkQueueDeadLetters'),
            WaitTimeSeconds: 1,
            MaxNumberOfMessages: 10,
          }),
        );
        return Messages?.find((message) => message.Body === 'poison');
      },
      'the poison message in the DLQ',
      30_000,
    );
    expect(dead.Body).toBe('poison');
    const receives = (await receivedBodies()).filter((entry) => entry.body === 'poison');
    expect(receives.map((entry) => entry.receive_count)).toEqual([1, 2, 3]);
  }, 40_000);
});

describe('Lambda', () => {
  it('stops a function past its timeout and reports it as Lambda does', async () => {
    const lambda = new LambdaClient(clientConfig(cloud));
    const started = Date.now();
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: fnName('Slow'), Payload: Buffer.from('{}') }),
    );
    lambda.destroy();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(result.Payload ?? []).toString())).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 1.00 seconds'),
    });
  });
});

describe('Step Functions', () => {
  const machineArn = () => cloud.started.topology.stateMachines[0]?.arn ?? '';

  it('runs the synthesized definition against the local function, and answers the API', async () => {
    const sfn = new SFNClient(clientConfig(cloud));
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn(),
        name: 'big-one',
        input: JSON.stringify({ value: 21 }),
      }),
    );
    const done = await waitFor(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    }, 'the execution to finish');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toEqual({ value: 42 });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'ExecutionStarted',
        'TaskStateEntered',
        'WaitStateEntered',
        'ExecutionSucceeded',
      ]),
    );
    sfn.destroy();
  });

  it('fails an execution as the definition says, and refuses to reuse a finished name', async () => {
    const sfn = new SFNClient(clientConfig(cloud));
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: machineArn(), name: 'small-one', input: '{"value":2}' }),
    );
    const done = await waitFor(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status === 'RUNNING' ? undefined : described;
    }, 'the execution to fail');
    expect(done).toMatchObject({ status: 'FAILED', error: 'TooSmall' });
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: machineArn(), name: 'small-one', input: '{"value":3}' }),
      ),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn() }));
    expect(executions.map((execution) => execution.name)).toEqual(
      expect.arrayContaining(['big-one', 'small-one']),
    );
    sfn.destroy();
  });

  it('is started by an EventBridge rule', async () => {
    const events = new EventBridgeClient(clientConfig(cloud));
    const busName = cloud.started.topology.buses[0]?.name;
    await events.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: busName, Source: 'fixture', DetailType: 'go', Detail: '{"value":9}' }],
      }),
    );
    events.destroy();
    const execution = await waitFor(
      async () =>
        (
          await inspect<{ executions: { input: string; status: string }[] }>(cloud, '/executions')
        ).executions.find((candidate) => candidate.input.includes('"detail":{"value":9}')),
      'an execution started by the rule',
    );
    expect(JSON.parse(execution.input)).toMatchObject({ source: 'fixture', 'detail-type': 'go' });
  });
});

describe('emulated APIs reject malformed requests with the error codes AWS uses', () => {
  it.each([
    [
      'EventBridge PutEvents with 11 entries',
      () =>
        new EventBridgeClient(clientConfig(cloud)).send(
          new PutEventsCommand({
            Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })),
          }),
        ),
      'ValidationException',
    ],
    [
      'EventBridge DescribeRule of an unknown rule',
      () => new EventBridgeClient(clientConfig(cloud)).send(new DescribeRuleCommand({ Name: 'nope' })),
      'ResourceNotFoundException',
    ],
    [
      'SQS SendMessage to an unknown queue',
      () =>
        new SQSClient(clientConfig(cloud)).send(
          new SendMessageCommand({
            QueueUrl: `${cloud.started.urls.aws}/000000000000/nope`,
            MessageBody: 'x',
          }),
        ),
      'QueueDoesNotExist',
    ],
    [
      'DynamoDB GetItem on an unknown table',
      () =>
        new DynamoDBClient(clientConfig(cloud)).send(
          new GetItemCommand({ TableName: 'nope', Key: { id: { S: '1' } } }),
        ),
      'ResourceNotFoundException',
    ],
    [
      'Step Functions DescribeExecution of an unknown execution',
      () =>
        new SFNClient(clientConfig(cloud)).send(
          new DescribeExecutionCommand({
            executionArn: 'arn:aws:states:us-east-1:000000000000:execution:nope:nope',
          }),
        ),
      'ExecutionDoesNotExist',
    ],
    [
      'Step Functions StartExecution with input that is not JSON',
      () =>
        new SFNClient(clientConfig(cloud)).send(
          new StartExecutionCommand({
            stateMachineArn: cloud.started.topology.stateMachines[0]?.arn,
            input: '{oops',
          }),
        ),
      'InvalidExecutionInput',
    ],
    [
      'Lambda Invoke of an unknown function',
      () => new LambdaClient(clientConfig(cloud)).send(new InvokeCommand({ FunctionName: 'nope' })),
      'ResourceNotFoundException',
    ],
    [
      'CloudWatch Logs FilterLogEvents of an unknown group',
      () =>
        new CloudWatchLogsClient(clientConfig(cloud)).send(
          new FilterLogEventsCommand({ logGroupName: 'nope' }),
        ),
      'ResourceNotFoundException',
    ],
  ])('%s', async (_, call, code) => {
    await expect(call()).rejects.toMatchObject({ name: code });
  });

  it('answers a JSON-protocol body that is not JSON with SerializationException', async () => {
    const response = await fetch(cloud.started.urls.aws, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });
});
