import { timelineOf } from '../../utils/ops/trace';
import type { RestApiEmulator } from '../apigateway/rest-api';
import type { EventBridge } from '../eventbridge/event-bridge';
import type { SandboxProviders } from '../providers';
import type { LambdaRuntime } from '../runtime/lambda-runtime';
import type { LogStore } from '../runtime/log-store';
import {
  AwsError,
  type AwsRequest,
  type AwsResponse,
  jsonBody,
  type ServiceHandler,
} from '../services/aws-protocol';
import type { SqsEventSource } from '../services/sqs-event-source';
import type { SqsService } from '../services/sqs-service';
import type { Execution, StepFunctions } from '../stepfunctions/step-functions';
import type { LocalTopology } from '../template/topology-types';

/** What the inspection API reads. */
export interface InspectedCloud {
  readonly topology: LocalTopology;
  readonly runtime: LambdaRuntime;
  readonly sqs: SqsService;
  readonly bridge: EventBridge;
  readonly stepFunctions: StepFunctions;
  readonly apis: readonly RestApiEmulator[];
  readonly eventSources: readonly SqsEventSource[];
  readonly providers: SandboxProviders;
  readonly logs: LogStore;
  /** Local client credentials and API keys, as shell exports. */
  readonly environmentExports: () => string;
  readonly clients: () => unknown;
  /** Every provider's circuit, from the circuit breaker table. */
  readonly circuits: () => Promise<unknown>;
}

const json = (body: unknown, status = 200): AwsResponse => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body, null, 2),
});

const notFound = (what: string) => json({ message: `${what} not found` }, 404);

/** A request body that must be a JSON object; undefined when it is not one. */
function parseJson(request: AwsRequest): Record<string, unknown> | undefined {
  try {
    return jsonBody(request);
  } catch (error) {
    // Answered with this API's own 400 message, not the AWS protocol's SerializationException.
    if (error instanceof AwsError) return undefined;
    throw error;
  }
}

/** An execution as JSON: its run handles and pending stop request are internals. */
function executionView(execution: Execution) {
  const { abort: _abort, done: _done, stopRequest: _stopRequest, ...view } = execution;
  return view;
}

const NOT_AN_OBJECT = { message: 'The body is not a JSON object' };

type Route = (
  cloud: InspectedCloud,
  match: RegExpExecArray,
  request: AwsRequest,
) => AwsResponse | Promise<AwsResponse>;

const ROUTES: readonly [string, RegExp, Route][] = [
  [
    'GET',
    /^\/_local\/?$/,
    () =>
      json({
        endpoints: ROUTES.map(([method, pattern]) => `${method} ${pattern.source.replaceAll('\\/', '/')}`),
      }),
  ],
  ['GET', /^\/_local\/health$/, () => json({ status: 'ok' })],
  [
    'GET',
    /^\/_local\/env$/,
    (cloud) => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: cloud.environmentExports() }),
  ],
  ['GET', /^\/_local\/clients$/, (cloud) => json(cloud.clients())],
  [
    'GET',
    /^\/_local\/resources$/,
    ({ topology }) =>
      json({
        stack: topology.env.stackName,
        functions: topology.functions.map((fn) => ({
          logicalId: fn.logicalId,
          name: fn.name,
          timeoutSeconds: fn.timeoutSeconds,
        })),
        queues: topology.queues.map((queue) => ({
          logicalId: queue.logicalId,
          name: queue.name,
          url: queue.url,
        })),
        tables: topology.tables.map((table) => table.name),
        buses: topology.buses.map((bus) => bus.name),
        rules: topology.rules.map((rule) => ({
          name: rule.name,
          bus: rule.busName,
          targets: rule.targets.map((target) => target.arn),
        })),
        stateMachines: topology.stateMachines.map((machine) => machine.arn),
        apis: topology.restApis.map((api) => ({ id: api.id, stages: api.stages.map((stage) => stage.name) })),
        notEmulated: Object.fromEntries(topology.notEmulated),
      }),
  ],
  ['GET', /^\/_local\/functions$/, ({ runtime }) => json({ functions: runtime.stats() })],
  [
    'GET',
    /^\/_local\/queues$/,
    ({ sqs, eventSources }) =>
      json({ queues: sqs.states(), eventSources: eventSources.map((source) => source.stats()) }),
  ],
  [
    'GET',
    /^\/_local\/queues\/([^/]+)\/messages$/,
    ({ sqs }, match) => json({ messages: sqs.peek(decodeURIComponent(match[1] ?? '')) }),
  ],
  [
    'GET',
    /^\/_local\/events$/,
    ({ bridge }, _match, request) =>
      json({ events: bridge.recent(Number(request.query.get('limit') ?? 100)) }),
  ],
  [
    'POST',
    /^\/_local\/events\/faults$/,
    ({ bridge }, _match, request) => {
      const body = parseJson(request);
      if (!body) return json(NOT_AN_OBJECT, 400);
      if (typeof body.targetArn !== 'string') return json({ message: 'targetArn is required' }, 400);
      const count = body.count ?? 1;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
        return json({ message: 'count must be a whole number, 0 or more' }, 400);
      }
      bridge.injectFault(body.targetArn, {
        count,
        code: body.code as string | undefined,
        retryable: body.retryable as boolean | undefined,
      });
      return json({ injected: body });
    },
  ],
  [
    'GET',
    /^\/_local\/executions$/,
    ({ stepFunctions }) =>
      json({
        executions: stepFunctions.list().map((execution) => {
          const { history, ...view } = executionView(execution);
          return { ...view, events: history.length };
        }),
      }),
  ],
  [
    'GET',
    /^\/_local\/executions\/(.+)$/,
    ({ stepFunctions }, match) => {
      const id = decodeURIComponent(match[1] ?? '');
      const execution = stepFunctions
        .list()
        .find((candidate) => candidate.executionArn === id || candidate.name === id);
      if (!execution) return notFound(`Execution ${id}`);
      return json(executionView(execution));
    },
  ],
  ['GET', /^\/_local\/api\/calls$/, ({ apis }) => json({ calls: apis.flatMap((api) => api.calls()) })],
  [
    'GET',
    /^\/_local\/providers$/,
    ({ providers }) =>
      json({
        providers: providers.all().map((provider) => ({
          name: provider.name,
          url: provider.url,
          faults: provider.faults(),
          calls: provider.calls().length,
        })),
      }),
  ],
  [
    'GET',
    /^\/_local\/providers\/([a-z]+)\/calls$/,
    ({ providers }, match) => {
      const provider = providers.all().find((candidate) => candidate.name === match[1]);
      return provider ? json({ calls: provider.calls() }) : notFound(`Provider ${match[1]}`);
    },
  ],
  [
    'PUT',
    /^\/_local\/providers\/([a-z]+)\/faults$/,
    ({ providers }, match, request) => {
      const provider = providers.all().find((candidate) => candidate.name === match[1]);
      if (!provider) return notFound(`Provider ${match[1]}`);
      const faults = parseJson(request);
      if (!faults) return json(NOT_AN_OBJECT, 400);
      try {
        provider.setFaults(faults);
      } catch (error) {
        if (error instanceof RangeError) return json({ message: error.message }, 400);
        throw error;
      }
      return json({ name: provider.name, faults: provider.faults() });
    },
  ],
  [
    'POST',
    /^\/_local\/queues\/([^/]+)\/redrive$/,
    async ({ sqs }, match) => {
      try {
        return json(await sqs.redrive(decodeURIComponent(match[1] ?? '')));
      } catch (error) {
        return json({ message: error instanceof Error ? error.message : String(error) }, 400);
      }
    },
  ],
  ['GET', /^\/_local\/circuits$/, async ({ circuits }) => json({ circuits: await circuits() })],
  [
    'GET',
    /^\/_local\/trace\/([^/]+)$/,
    ({ logs }, match) => {
      const id = decodeURIComponent(match[1] ?? '');
      const lines = logs
        .groupNames()
        .flatMap((group) =>
          logs.events(group, { contains: id, limit: 1000 }).map((event) => ({ group, ...event })),
        );
      return json({ timeline: timelineOf(lines) });
    },
  ],
  [
    'GET',
    /^\/_local\/logs$/,
    ({ logs }, _match, request) => {
      const group = request.query.get('group');
      if (!group) return json({ groups: logs.groupNames() });
      return json({
        events: logs.events(group, { contains: request.query.get('contains') ?? undefined, limit: 1000 }),
      });
    },
  ],
];

/** `GET /_local/…`: what the local cloud runs and what happened in it, for people and for tests. */
export function inspectionApi(cloud: InspectedCloud): ServiceHandler {
  return async (request) => {
    for (const [method, pattern, route] of ROUTES) {
      const match = pattern.exec(request.path);
      if (match && request.method === method) return await route(cloud, match, request);
    }
    return notFound(`${request.method} ${request.path}`);
  };
}
