import type { LambdaRuntime } from '../runtime/lambda-runtime';
import type { AwsRequest, AwsResponse, ServiceHandler } from './aws-protocol';

function lambdaError(status: number, code: string, message: string): AwsResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': code },
    body: JSON.stringify({ Type: 'User', message }),
  };
}

/** `/2015-03-31/functions/{name}/invocations` and the configuration reads of the Lambda API. */
export function lambdaApi(runtime: LambdaRuntime): ServiceHandler {
  const configuration = (name: string) => {
    const spec = runtime.pool(name)?.spec;
    return spec
      ? {
          FunctionName: spec.name,
          FunctionArn: spec.arn,
          Runtime: spec.runtime,
          Handler: `index.${spec.handlerExport}`,
          MemorySize: spec.memorySize,
          Timeout: spec.timeoutSeconds,
          Environment: { Variables: spec.environment },
          State: 'Active',
        }
      : undefined;
  };

  return async (request: AwsRequest) => {
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.path);
    if (invoke && request.method === 'POST')
      return invokeFunction(runtime, decodeURIComponent(invoke[1] ?? ''), request);
    const get = /^\/2015-03-31\/functions\/([^/]+)(\/configuration)?\/?$/.exec(request.path);
    if (get && request.method === 'GET') {
      const found = configuration(decodeURIComponent(get[1] ?? ''));
      if (!found) return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${get[1]}`);
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(get[2] ? found : { Configuration: found }),
      };
    }
    if (request.path.replace(/\/$/, '') === '/2015-03-31/functions' && request.method === 'GET') {
      const functions = runtime.specs().map((spec) => configuration(spec.name));
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Functions: functions }),
      };
    }
    return lambdaError(
      404,
      'UnknownOperationException',
      `${request.method} ${request.path} is not supported locally`,
    );
  };
}

async function invokeFunction(
  runtime: LambdaRuntime,
  name: string,
  request: AwsRequest,
): Promise<AwsResponse> {
  if (!runtime.pool(name))
    return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${name}`);
  const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  let event: unknown;
  try {
    const text = request.body.toString('utf8');
    event = text === '' ? {} : JSON.parse(text);
  } catch {
    return lambdaError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
  }
  if (invocationType === 'DryRun') return { status: 204 };
  if (invocationType === 'Event') {
    runtime.invokeAsync(name, event);
    return { status: 202 };
  }
  try {
    const outcome = await runtime.invoke(name, event);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
    };
    if (outcome.error) {
      headers['X-Amz-Function-Error'] = 'Unhandled';
      return {
        status: 200,
        headers,
        body: JSON.stringify({
          errorType: outcome.error.errorType,
          errorMessage: outcome.error.errorMessage,
          trace: outcome.error.trace ?? [],
        }),
      };
    }
    return { status: 200, headers, body: JSON.stringify(outcome.payload) };
  } catch (error) {
    if (error instanceof Error && error.name === 'TooManyRequestsException') {
      return lambdaError(429, 'TooManyRequestsException', error.message);
    }
    throw error;
  }
}
