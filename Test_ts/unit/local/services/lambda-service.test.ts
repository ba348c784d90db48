import { ConsoleLog } from '../../../../local/runtime/console-log';
import { LambdaRuntime } from '../../../../local/runtime/lambda-runtime';
import { LogStore } from '../../../../local/runtime/log-store';
import type { AwsResponse } from '../../../../local/services/aws-protocol';
import { lambdaApi } from '../../../../local/services/lambda-service';
import { functionArnOf as arnOf, functionSpec } from '../../../fixtures/lambda/function-spec';
import { awsRequest, jsonOf, textOf } from '../../../fixtures/local-services/aws-request';
import { waitFor } from '../../../support/wait';

/** The configuration tests expect 256 MB, and 128 MB for `single`. */
const FUNCTIONS = [
  functionSpec('echo', 'echo', { memorySize: 256 }),
  functionSpec('fail', 'fail', { memorySize: 256 }),
  functionSpec('single', 'sleep', { reservedConcurrency: 1, memorySize: 128, timeoutSeconds: 5 }),
  functionSpec('logger', 'log', { memorySize: 256 }),
];

const logs = new LogStore();
const runtime = new LambdaRuntime({
  functions: FUNCTIONS,
  baseEnvironment: { AWS_REGION: 'us-east-1' },
  defaultConcurrency: 2,
  logs,
  console: new ConsoleLog('quiet'),
});
const handler = lambdaApi(runtime);

afterAll(() => runtime.stop());

function invoke(name: string, body: string, invocationType?: string): Promise<AwsResponse> {
  return handler(
    awsRequest({
      service: 'lambda',
      path: `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`,
      headers: invocationType ? { 'x-amz-invocation-type': invocationType } : {},
      body,
    }),
  );
}

const get = (requestPath: string, method = 'GET') =>
  handler(awsRequest({ service: 'lambda', method, path: requestPath }));

const invocationsOf = (name: string) => runtime.stats().find((stats) => stats.name === name)?.invocations;

describe('lambdaApi Invoke, RequestResponse', () => {
  it('runs the function with the payload and answers its result', async () => {
    const answer = await invoke('echo', JSON.stringify({ orderId: 'ord-1' }), 'RequestResponse');
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
    });
    expect(jsonOf(answer)).toMatchObject({ event: { orderId: 'ord-1' }, functionName: 'echo' });
  });

  it('is the default invocation type, and an empty payload is an empty event', async () => {
    const answer = await invoke('echo', '');
    expect(answer.status).toBe(200);
    expect(jsonOf(answer).event).toEqual({});
  });

  it('finds the function by its ARN', async () => {
    const answer = await invoke(arnOf('echo'), '{"by":"arn"}');
    expect(jsonOf(answer).event).toEqual({ by: 'arn' });
  });

  it('answers a function error with X-Amz-Function-Error and the error’s type, message and trace', async () => {
    const answer = await invoke('fail', '{}');
    expect(answer.status).toBe(200);
    expect(answer.headers?.['X-Amz-Function-Error']).toBe('Unhandled');
    const body = jsonOf(answer);
    expect(body).toMatchObject({ errorType: 'PaymentDeclinedError', errorMessage: 'card declined' });
    expect(Array.isArray(body.trace)).toBe(true);
    expect(String((body.trace as string[])[0])).toContain('card declined');
  });
});

describe('lambdaApi Invoke, other invocation types', () => {
  it('accepts an Event invocation with 202 and runs the function afterwards', async () => {
    const answer = await invoke('logger', JSON.stringify({ correlation: 'evt-1' }), 'Event');
    expect(answer).toEqual({ status: 202 });
    const logged = () =>
      logs.events('/aws/lambda/logger', { contains: 'evt-1' }).map((event) => JSON.parse(event.message));
    expect(logged()).toEqual([]);
    await runtime.idle();
    // The worker's stdout reaches the host after the invocation's result.
    await waitFor(() => (logged().length > 0 ? true : undefined), 'the Event invocation’s log line');
    expect(logged()).toEqual([expect.objectContaining({ message: 'hello', correlation_id: 'evt-1' })]);
  });

  it('answers a DryRun with 204 without running the function', async () => {
    const before = invocationsOf('echo');
    expect(await invoke('echo', '{}', 'DryRun')).toEqual({ status: 204 });
    expect(invocationsOf('echo')).toBe(before);
  });
});

describe('lambdaApi Invoke errors', () => {
  const expectError = (answer: AwsResponse, status: number, code: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers).toEqual({ 'Content-Type': 'application/json', 'x-amzn-ErrorType': code });
    expect(jsonOf(answer).Type).toBe('User');
  };

  it('answers an unknown function with 404 ResourceNotFoundException', async () => {
    const answer = await invoke('nope', '{}');
    expectError(answer, 404, 'ResourceNotFoundException');
    expect(jsonOf(answer).message).toBe('Function not found: nope');
  });

  it.each(['RequestResponse', 'Event', 'DryRun'])(
    'answers a payload that is not JSON with 400 InvalidRequestContentException (%s)',
    async (invocationType) => {
      const before = invocationsOf('echo');
      const answer = await invoke('echo', '{"broken":', invocationType);
      expectError(answer, 400, 'InvalidRequestContentException');
      expect(jsonOf(answer).message).toBe('Could not parse request body into json');
      expect(invocationsOf('echo')).toBe(before);
    },
  );

  it('answers an invocation beyond reserved concurrency with 429 TooManyRequestsException', async () => {
    const running = invoke('single', '{"ms":400}');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const throttled = await invoke('single', '{"ms":1}');
    expectError(throttled, 429, 'TooManyRequestsException');
    expect(jsonOf(throttled).message).toContain('concurrency limit of 1');
    expect(textOf(await running)).toBe('"awake"');
  });

  it('lets any other failure of the runtime propagate', async () => {
    const stopped = new LambdaRuntime({
      functions: [functionSpec('echo', 'echo')],
      baseEnvironment: {},
      defaultConcurrency: 1,
      logs: new LogStore(),
      console: new ConsoleLog('quiet'),
    });
    await stopped.stop();
    await expect(
      lambdaApi(stopped)(awsRequest({ path: '/2015-03-31/functions/echo/invocations' })),
    ).rejects.toThrow('echo is stopped');
  });
});

describe('lambdaApi function configuration', () => {
  const echoConfiguration = {
    FunctionName: 'echo',
    FunctionArn: arnOf('echo'),
    Runtime: 'nodejs22.x',
    Handler: 'index.echo',
    MemorySize: 256,
    Timeout: 3,
    Environment: { Variables: { GREETING: 'hello' } },
    State: 'Active',
  };

  it('answers GetFunction with the configuration under Configuration', async () => {
    for (const requestPath of ['/2015-03-31/functions/echo', '/2015-03-31/functions/echo/']) {
      const answer = await get(requestPath);
      expect(answer.status).toBe(200);
      expect(answer.headers).toEqual({ 'Content-Type': 'application/json' });
      expect(jsonOf(answer)).toEqual({ Configuration: echoConfiguration });
    }
  });

  it('answers GetFunction by URL-encoded ARN', async () => {
    const answer = await get(`/2015-03-31/functions/${encodeURIComponent(arnOf('echo'))}`);
    expect(jsonOf(answer)).toEqual({ Configuration: echoConfiguration });
  });

  it('answers GetFunctionConfiguration with the bare configuration', async () => {
    const answer = await get('/2015-03-31/functions/single/configuration');
    expect(jsonOf(answer)).toEqual({
      FunctionName: 'single',
      FunctionArn: arnOf('single'),
      Runtime: 'nodejs22.x',
      Handler: 'index.sleep',
      MemorySize: 128,
      Timeout: 5,
      Environment: { Variables: { GREETING: 'hello' } },
      State: 'Active',
    });
  });

  it('answers an unknown function with 404 ResourceNotFoundException', async () => {
    for (const requestPath of ['/2015-03-31/functions/nope', '/2015-03-31/functions/nope/configuration']) {
      const answer = await get(requestPath);
      expect(answer.status).toBe(404);
      expect(answer.headers?.['x-amzn-ErrorType']).toBe('ResourceNotFoundException');
      expect(jsonOf(answer).message).toBe('Function not found: nope');
    }
  });

  it('lists every function with ListFunctions', async () => {
    for (const requestPath of ['/2015-03-31/functions', '/2015-03-31/functions/']) {
      const answer = await get(requestPath);
      expect(answer.status).toBe(200);
      const functions = jsonOf(answer).Functions as { FunctionName: string }[];
      expect(functions.map((fn) => fn.FunctionName)).toEqual(['echo', 'fail', 'single', 'logger']);
      expect(functions[0]).toEqual(echoConfiguration);
    }
  });

  it.each([
    ['DELETE', '/2015-03-31/functions/echo'],
    ['GET', '/2015-03-31/functions/echo/invocations'],
    ['POST', '/2015-03-31/functions'],
    ['GET', '/2015-03-31/event-source-mappings'],
  ])('answers %s %s with 404 UnknownOperationException', async (method, requestPath) => {
    const answer = await get(requestPath, method);
    expect(answer.status).toBe(404);
    expect(answer.headers?.['x-amzn-ErrorType']).toBe('UnknownOperationException');
    expect(jsonOf(answer).message).toBe(`${method} ${requestPath} is not supported locally`);
  });
});
