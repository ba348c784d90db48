import type { ApiCall, RestApiEmulator } from '../../../../local/apigateway/rest-api';
import type { EventBridge, RecentEvent } from '../../../../local/eventbridge/event-bridge';
import { type InspectedCloud, inspectionApi } from '../../../../local/inspect/inspection';
import { type SandboxProviders, startSandboxProviders } from '../../../../local/providers';
import type { FunctionStats, LambdaRuntime } from '../../../../local/runtime/lambda-runtime';
import { LogStore } from '../../../../local/runtime/log-store';
import type { AwsResponse } from '../../../../local/services/aws-protocol';
import type { EventSourceStats, SqsEventSource } from '../../../../local/services/sqs-event-source';
import type { QueueMessage, QueueState, SqsService } from '../../../../local/services/sqs-service';
import type { Execution, StepFunctions } from '../../../../local/stepfunctions/step-functions';
import type { TemplateResources } from '../../../../local/template/resources';
import type { LocalTopology } from '../../../../local/template/topology-types';
import { awsRequest, jsonOf, textOf } from '../../../fixtures/local-services/aws-request';

const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderSaga';
const TARGET = 'arn:aws:sqs:us-east-1:000000000000:orders';

const topology: LocalTopology = {
  env: {
    accountId: '000000000000',
    region: 'us-east-1',
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: 'Junction-dev',
    stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/Junction-dev/local',
    awsEndpoint: 'http://127.0.0.1:4566',
  },
  resources: {} as unknown as TemplateResources,
  functions: [
    {
      logicalId: 'IngestOrderB895FBFB',
      name: 'junction-ingest',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:junction-ingest',
      handlerFile: '/bundle/index.mjs',
      handlerExport: 'handler',
      runtime: 'nodejs22.x',
      memorySize: 256,
      timeoutSeconds: 10,
      environment: { SECRET_LOOKING: 'never shown' },
      logGroupName: '/aws/lambda/junction-ingest',
    },
  ],
  queues: [{ logicalId: 'OrdersQueue', name: 'orders', url: 'http://q/orders', arn: TARGET, attributes: {} }],
  tables: [{ logicalId: 'Idem', name: 'idempotency', arn: 'arn:table', definition: {} }],
  buses: [{ logicalId: 'Bus', name: 'junction', arn: 'arn:bus' }],
  rules: [
    {
      logicalId: 'Rule',
      name: 'orders-rule',
      arn: 'arn:rule',
      busName: 'junction',
      enabled: true,
      targets: [
        { id: 't1', arn: TARGET, retryPolicy: { maximumEventAgeSeconds: 60, maximumRetryAttempts: 2 } },
      ],
    },
  ],
  archives: [],
  eventSourceMappings: [],
  stateMachines: [{ logicalId: 'Saga', name: 'OrderSaga', arn: MACHINE, type: 'STANDARD', definition: {} }],
  logGroups: [],
  topics: [],
  restApis: [
    {
      logicalId: 'Api',
      id: 'api123',
      name: 'junction',
      paths: new Map(),
      methods: [],
      authorizers: [],
      models: new Map(),
      validators: new Map(),
      stages: [{ name: 'dev' }, { name: 'v2' }],
      gatewayResponses: {},
      apiKeys: [],
      usagePlans: [],
    },
  ],
  userPools: [],
  secrets: [],
  notEmulated: new Map([['AWS::WAFv2::WebACL', 1]]),
  outputs: {},
};

const functionStats: FunctionStats = {
  name: 'junction-ingest',
  logicalId: 'IngestOrderB895FBFB',
  invocations: 3,
  errors: 1,
  throttles: 0,
  active: 0,
  warm: 1,
};
const queueState: QueueState = {
  name: 'orders',
  url: 'http://q/orders',
  arn: TARGET,
  visible: 2,
  inFlight: 1,
  delayed: 0,
};
const queueMessage: QueueMessage = {
  messageId: 'm-1',
  body: 'hello',
  receiveCount: 1,
  attributes: { a: 'b' },
};
const sourceStats: EventSourceStats = {
  functionName: 'junction-worker',
  queueName: 'orders',
  batches: 2,
  records: 5,
  failedRecords: 1,
};
const recentEvents: RecentEvent[] = [1, 2, 3].map((index) => ({
  event: { id: `evt-${index}` },
  busName: 'junction',
  receivedAt: new Date(T0 + index).toISOString(),
  deliveries: [],
}));
const execution: Execution = {
  executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:run-1`,
  stateMachineArn: MACHINE,
  name: 'run-1',
  input: '{"orderId":"ord-1"}',
  startDate: T0,
  status: 'SUCCEEDED',
  stopDate: T0 + 500,
  output: '{"ok":true}',
  history: [
    { id: 1, previousEventId: 0, timestamp: T0, type: 'ExecutionStarted' },
    { id: 2, previousEventId: 1, timestamp: T0 + 500, type: 'ExecutionSucceeded' },
  ],
  abort: () => undefined,
  done: Promise.resolve(),
};
const apiCall = (requestId: string): ApiCall => ({
  requestId,
  method: 'GET',
  path: '/dev/v1/health',
  status: 200,
  latencyMs: 3,
  at: new Date(T0).toISOString(),
});

const peek = jest.fn((_name: string) => [queueMessage]);
const redrive = jest.fn(async (name: string) => {
  if (name !== 'orders-dlq') throw new Error(`No queue named ${name}`);
  return { TaskHandle: 'task-1' };
});
const recent = jest.fn((limit?: number) => recentEvents.slice(-(limit ?? 100)));
const injectFault = jest.fn();
const logs = new LogStore();
logs.put('/aws/lambda/junction-ingest', 'stream', 'order ord-1 accepted', T0);
logs.put('/aws/lambda/junction-ingest', 'stream', 'order ord-2 accepted', T0 + 1);
logs.ensureGroup('/junction/audit');

let providers: SandboxProviders;
let handler: (request: Parameters<ReturnType<typeof inspectionApi>>[0]) => Promise<AwsResponse>;

beforeAll(async () => {
  providers = await startSandboxProviders({
    credentials: { payment: 'sk_pay', email: 'sk_mail', crm: 'sk_crm', analytics: 'sk_ga' },
  });
  const cloud: InspectedCloud = {
    topology,
    runtime: { stats: () => [functionStats] } as unknown as LambdaRuntime,
    sqs: { states: () => [queueState], peek, redrive } as unknown as SqsService,
    bridge: { recent, injectFault } as unknown as EventBridge,
    stepFunctions: { list: () => [execution] } as unknown as StepFunctions,
    apis: [
      { calls: () => [apiCall('r-1')] },
      { calls: () => [apiCall('r-2')] },
    ] as unknown as RestApiEmulator[],
    eventSources: [{ stats: () => sourceStats }] as unknown as SqsEventSource[],
    providers,
    logs,
    environmentExports: () => "export API_KEY='k-1'\n",
    clients: () => ({ appClients: [{ clientId: 'c-1' }], apiKeys: [] }),
    circuits: async () => [{ provider: 'payment', state: 'open', failures: 5 }],
  };
  handler = inspectionApi(cloud);
});

afterAll(() => providers.stop());

beforeEach(() => {
  peek.mockClear();
  recent.mockClear();
  injectFault.mockClear();
});

const request = (method: string, path: string, options: { query?: string; body?: string } = {}) =>
  handler(awsRequest({ method, path, ...options }));

async function getJson(path: string, query?: string): Promise<Record<string, unknown>> {
  const answer = await request('GET', path, { query });
  expect(answer.status).toBe(200);
  expect(answer.headers).toEqual({ 'Content-Type': 'application/json' });
  return jsonOf(answer);
}

describe('inspectionApi: the cloud at a glance', () => {
  it('lists its endpoints at /_local, with or without the trailing slash', async () => {
    for (const path of ['/_local', '/_local/']) {
      const { endpoints } = await getJson(path);
      expect(endpoints).toHaveLength(20);
      expect(endpoints).toEqual(
        expect.arrayContaining([
          'GET ^/_local/health$',
          'POST ^/_local/events/faults$',
          'PUT ^/_local/providers/([a-z]+)/faults$',
        ]),
      );
    }
  });

  it('answers health, pretty-printed', async () => {
    const answer = await request('GET', '/_local/health');
    expect(textOf(answer)).toBe('{\n  "status": "ok"\n}');
  });

  it('answers the environment exports as plain text', async () => {
    const answer = await request('GET', '/_local/env');
    expect(answer).toEqual({
      status: 200,
      headers: { 'Content-Type': 'text/plain' },
      body: "export API_KEY='k-1'\n",
    });
  });

  it('answers the clients', async () => {
    expect(await getJson('/_local/clients')).toEqual({ appClients: [{ clientId: 'c-1' }], apiKeys: [] });
  });

  it('summarises the resources of the template', async () => {
    expect(await getJson('/_local/resources')).toEqual({
      stack: 'Junction-dev',
      functions: [{ logicalId: 'IngestOrderB895FBFB', name: 'junction-ingest', timeoutSeconds: 10 }],
      queues: [{ logicalId: 'OrdersQueue', name: 'orders', url: 'http://q/orders' }],
      tables: ['idempotency'],
      buses: ['junction'],
      rules: [{ name: 'orders-rule', bus: 'junction', targets: [TARGET] }],
      stateMachines: [MACHINE],
      apis: [{ id: 'api123', stages: ['dev', 'v2'] }],
      notEmulated: { 'AWS::WAFv2::WebACL': 1 },
    });
  });

  it('answers the function statistics', async () => {
    expect(await getJson('/_local/functions')).toEqual({ functions: [functionStats] });
  });

  it('answers the queues with the event source statistics', async () => {
    expect(await getJson('/_local/queues')).toEqual({ queues: [queueState], eventSources: [sourceStats] });
  });

  it('answers a queue’s messages, the queue name URL-decoded', async () => {
    expect(await getJson('/_local/queues/orders%20dlq/messages')).toEqual({ messages: [queueMessage] });
    expect(peek).toHaveBeenCalledWith('orders dlq');
  });

  it('answers the API calls of every API', async () => {
    const { calls } = await getJson('/_local/api/calls');
    expect((calls as ApiCall[]).map((call) => call.requestId)).toEqual(['r-1', 'r-2']);
  });
});

describe('inspectionApi: events and their faults', () => {
  it('answers the recent events, 100 by default or the limit asked for', async () => {
    expect((await getJson('/_local/events')).events).toHaveLength(3);
    expect(recent).toHaveBeenLastCalledWith(100);
    expect(await getJson('/_local/events', 'limit=2')).toEqual({ events: recentEvents.slice(-2) });
    expect(recent).toHaveBeenLastCalledWith(2);
  });

  it('injects a delivery fault with the count, code and retryability given', async () => {
    const body = { targetArn: TARGET, count: 3, code: 'AccessDenied', retryable: false };
    const answer = await request('POST', '/_local/events/faults', { body: JSON.stringify(body) });
    expect(answer.status).toBe(200);
    expect(jsonOf(answer)).toEqual({ injected: body });
    expect(injectFault).toHaveBeenCalledWith(TARGET, { count: 3, code: 'AccessDenied', retryable: false });
  });

  it('injects one fault by default', async () => {
    await request('POST', '/_local/events/faults', { body: JSON.stringify({ targetArn: TARGET }) });
    expect(injectFault).toHaveBeenCalledWith(TARGET, { count: 1, code: undefined, retryable: undefined });
  });

  it.each([
    ['no target', '{"count":2}'],
    ['a target that is not a string', '{"targetArn":42}'],
    ['no body', ''],
  ])('refuses a fault with %s: 400', async (_, body) => {
    const answer = await request('POST', '/_local/events/faults', { body });
    expect(answer.status).toBe(400);
    expect(jsonOf(answer)).toEqual({ message: 'targetArn is required' });
    expect(injectFault).not.toHaveBeenCalled();
  });
});

describe('inspectionApi: fault requests it cannot use', () => {
  it.each([
    ['a body that is not JSON', '{"targetArn":', /not a JSON object/],
    [
      'a count that is not a number',
      `{"targetArn":"${TARGET}","count":"many"}`,
      /count must be a whole number/,
    ],
    ['a negative count', `{"targetArn":"${TARGET}","count":-1}`, /count must be a whole number/],
  ])('refuses %s: 400', async (_, body, message) => {
    const answer = await request('POST', '/_local/events/faults', { body });
    expect(answer.status).toBe(400);
    expect(String(jsonOf(answer).message)).toMatch(message);
    expect(injectFault).not.toHaveBeenCalled();
  });
});

describe('inspectionApi: executions', () => {
  it('lists the executions with their number of history events, without handles', async () => {
    const { executions } = await getJson('/_local/executions');
    expect(executions).toEqual([
      {
        executionArn: execution.executionArn,
        stateMachineArn: MACHINE,
        name: 'run-1',
        input: '{"orderId":"ord-1"}',
        startDate: T0,
        status: 'SUCCEEDED',
        stopDate: T0 + 500,
        output: '{"ok":true}',
        events: 2,
      },
    ]);
  });

  it('shows one execution with its history, found by URL-encoded ARN or by name', async () => {
    const byArn = await getJson(`/_local/executions/${encodeURIComponent(execution.executionArn)}`);
    expect(byArn).toMatchObject({ name: 'run-1', history: execution.history });
    expect(byArn).not.toHaveProperty('abort');
    expect(byArn).not.toHaveProperty('done');
    expect(await getJson('/_local/executions/run-1')).toEqual(byArn);
  });

  it('answers an unknown execution with 404', async () => {
    const answer = await request('GET', '/_local/executions/run-9');
    expect(answer.status).toBe(404);
    expect(jsonOf(answer)).toEqual({ message: 'Execution run-9 not found' });
  });
});

describe('inspectionApi: providers', () => {
  it('lists the sandboxes with their URL, faults and number of calls', async () => {
    await fetch(`${providers.crm.url}/crm/v3/objects/contacts`).catch(() => undefined);
    const { providers: listed } = await getJson('/_local/providers');
    expect((listed as { name: string }[]).map((provider) => provider.name)).toEqual([
      'payment',
      'email',
      'crm',
      'analytics',
    ]);
    expect((listed as unknown[])[2]).toEqual({
      name: 'crm',
      url: providers.crm.url,
      faults: providers.crm.faults(),
      calls: providers.crm.calls().length,
    });
    expect(providers.crm.calls().length).toBeGreaterThan(0);
  });

  it('answers a sandbox’s calls, and 404 for an unknown sandbox', async () => {
    expect(await getJson('/_local/providers/crm/calls')).toEqual({
      calls: JSON.parse(JSON.stringify(providers.crm.calls())),
    });
    const unknown = await request('GET', '/_local/providers/bank/calls');
    expect(unknown.status).toBe(404);
    expect(jsonOf(unknown)).toEqual({ message: 'Provider bank not found' });
  });

  it('sets a sandbox’s faults with PUT and answers them', async () => {
    const answer = await request('PUT', '/_local/providers/email/faults', {
      body: JSON.stringify({ errorRate: 0.5, errorStatus: 502 }),
    });
    expect(answer.status).toBe(200);
    expect(jsonOf(answer)).toEqual({
      name: 'email',
      faults: { errorRate: 0.5, errorStatus: 502, latencyMs: 0, timeoutRate: 0 },
    });
    expect(providers.email.faults().errorRate).toBe(0.5);
    providers.email.reset();
  });

  it.each([
    ['a value out of range', '{"errorRate":2}', /errorRate/],
    ['a body that is not JSON', '{"errorRate":', /not a JSON object/],
    ['a body that is not an object', '[1]', /not a JSON object/],
  ])('refuses faults with %s: 400, and changes nothing', async (_, body, message) => {
    const before = providers.payment.faults();
    const answer = await request('PUT', '/_local/providers/payment/faults', { body });
    expect(answer.status).toBe(400);
    expect(String(jsonOf(answer).message)).toMatch(message);
    expect(providers.payment.faults()).toEqual(before);
  });

  it('answers faults for an unknown sandbox with 404', async () => {
    const answer = await request('PUT', '/_local/providers/bank/faults', { body: '{"errorRate":1}' });
    expect(answer.status).toBe(404);
  });
});

describe('inspectionApi: what the console needs', () => {
  it('redrives a dead-letter queue, and refuses a queue it does not know', async () => {
    const started = await request('POST', '/_local/queues/orders-dlq/redrive');
    expect(jsonOf(started)).toEqual({ TaskHandle: 'task-1' });
    const unknown = await request('POST', '/_local/queues/nope/redrive');
    expect(unknown.status).toBe(400);
    expect(jsonOf(unknown).message).toBe('No queue named nope');
  });

  it("answers every provider's circuit", async () => {
    expect(await getJson('/_local/circuits')).toEqual({
      circuits: [{ provider: 'payment', state: 'open', failures: 5 }],
    });
  });

  it('answers the timeline of an id across every log group, oldest first', async () => {
    const { timeline } = await getJson('/_local/trace/ord-2');
    expect(timeline).toEqual([expect.objectContaining({ message: 'order ord-2 accepted' })]);
  });
});

describe('inspectionApi: logs and unknown routes', () => {
  it('lists the log groups without a group, and a group’s events with one', async () => {
    expect(await getJson('/_local/logs')).toEqual({
      groups: ['/aws/lambda/junction-ingest', '/junction/audit'],
    });
    const { events } = await getJson('/_local/logs', 'group=/aws/lambda/junction-ingest&contains=ord-2');
    expect((events as { message: string }[]).map((event) => event.message)).toEqual(['order ord-2 accepted']);
  });

  it.each([
    ['GET', '/_local/nope'],
    ['POST', '/_local/health'],
    ['GET', '/_local/events/faults'],
    ['DELETE', '/_local/providers/crm/faults'],
  ])('answers %s %s with 404', async (method, path) => {
    const answer = await request(method, path);
    expect(answer.status).toBe(404);
    expect(jsonOf(answer)).toEqual({ message: `${method} ${path} not found` });
  });
});
