import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { App } from 'aws-cdk-lib';
import { listCircuits } from '../utils/ops/circuits';
import { LocalCognito } from './apigateway/cognito';
import { RestApiEmulator } from './apigateway/rest-api';
import { ApiServer } from './apigateway/server';
import { readyRecord, renderBanner } from './banner';
import { eventBridgeApi } from './eventbridge/api';
import type { EventBridge } from './eventbridge/event-bridge';
import { startEventing } from './eventing';
import { consoleApi } from './inspect/console';
import { inspectionApi } from './inspect/inspection';
import { type ProviderName, type SandboxProviders, startSandboxProviders } from './providers';
import { ConsoleLog, type LogMode } from './runtime/console-log';
import { LambdaRuntime } from './runtime/lambda-runtime';
import { LogStore } from './runtime/log-store';
import { AwsEndpoint } from './services/aws-endpoint';
import { localCredentials } from './services/aws-protocol';
import { DynamoDbService } from './services/dynamodb-service';
import { lambdaApi } from './services/lambda-service';
import { logsApi } from './services/logs-service';
import { SecretsManagerService } from './services/secrets-manager-service';
import { SqsEventSource } from './services/sqs-event-source';
import { SqsService } from './services/sqs-service';
import { stepFunctionsApi } from './stepfunctions/api';
import type { StepFunctions } from './stepfunctions/step-functions';
import { readAssembly, type StackArtifact } from './template/assembly';
import { synthesize } from './template/synth';
import { buildTopology } from './template/topology';
import type { LocalTopology } from './template/topology-types';
import { sandboxWebhooks } from './wiring';
import {
  sandboxKeys,
  seedConnectorSecrets,
  withSandboxBaseUrls,
  withScaledCircuitTimes,
} from './wiring-connectors';

export interface LocalCloudOptions {
  /** A cloud assembly to run; when absent the app is synthesized first. */
  readonly assemblyDir?: string;
  /** Where to synthesize. @default a new temporary directory */
  readonly outdir?: string;
  /** Context for the synthesis (`{ stage: 'dev' }`). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Builds the app to synthesize. @default Junction */
  readonly build?: (app: App) => void;
  readonly stackName?: string;
  readonly host?: string;
  /** The single AWS endpoint's port. @default 4566; 0 picks a free one */
  readonly awsPort?: number;
  /** The API port. @default 3000; 0 picks a free one */
  readonly apiPort?: number;
  readonly region?: string;
  /** Multiplies long AWS waits: visibility timeouts, back-off, batching windows, Wait states. @default 1 */
  readonly timeScale?: number;
  readonly logMode?: LogMode;
  readonly out?: Writable;
  /** Execution environments per function without reserved concurrency. @default 10 */
  readonly defaultConcurrency?: number;
}

const ACCOUNT_ID = '000000000000';

/**
 * The local cloud: the synthesized stack running on loopback. It reads the template, starts the
 * emulators (dynalite, fauxqs, aws-local-stepfunctions) and Junction's own (EventBridge, API
 * Gateway, Lambda, event source mappings), wires them as the template says, and serves one AWS
 * endpoint and the API.
 */
export class LocalCloud {
  readonly logs = new LogStore();
  private readonly stoppers: (() => Promise<void> | void)[] = [];
  private parts?: Parts;

  private constructor(private readonly options: LocalCloudOptions) {}

  static async start(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    const cloud = new LocalCloud(options);
    try {
      await cloud.boot();
    } catch (error) {
      await cloud.stop();
      throw error;
    }
    return cloud;
  }

  get started(): Parts {
    if (!this.parts) throw new Error('The local cloud has not started');
    return this.parts;
  }

  private async boot(): Promise<void> {
    const startedAt = performance.now();
    const options = this.options;
    const host = options.host ?? '127.0.0.1';
    const region = options.region ?? 'us-east-1';
    const timeScale = options.timeScale ?? 1;
    const assemblyDir = options.assemblyDir ?? this.synthesize();
    const synthMs = options.assemblyDir ? 0 : performance.now() - startedAt;
    const artifact = pickStack(readAssembly(assemblyDir), options.stackName);

    const endpoint = new AwsEndpoint(region);
    const awsUrl = await endpoint.start(host, options.awsPort ?? 4566);
    this.stoppers.push(() => endpoint.stop());
    const apiServer = new ApiServer();
    const apiUrl = await apiServer.start(host, options.apiPort ?? 3000);
    this.stoppers.push(() => apiServer.stop());

    const topology = buildTopology(artifact, {
      accountId: ACCOUNT_ID,
      region,
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
      stackName: artifact.stackName,
      stackId: `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${artifact.stackName}/local`,
      awsEndpoint: awsUrl,
    });
    const console = new ConsoleLog(
      options.logMode ?? 'pretty',
      options.out,
      topology.functions.map((fn) => fn.logicalId),
    );
    for (const group of topology.logGroups) this.logs.ensureGroup(group.name);

    const dynamodb = await DynamoDbService.start({
      tables: topology.tables,
      region,
      sweepIntervalMs: 60_000 * timeScale,
    });
    this.stoppers.push(() => dynamodb.stop());
    const sqs = await SqsService.start({
      region,
      publicBase: awsUrl,
      queues: topology.queues,
      timeScale,
      minimumVisibility: consumerTimeouts(topology),
    });
    this.stoppers.push(() => sqs.stop());
    // Storage answers at once: event sources and functions start using it during start-up.
    endpoint.register('dynamodb', dynamodb.handler);
    endpoint.register('sqs', sqs.handler);
    endpoint.register('sns', sqs.handler);
    const credentials = providerCredentials();
    const secretsManager = new SecretsManagerService({
      secrets: seedConnectorSecrets(topology.secrets, credentials),
      region,
    });
    endpoint.register('secretsmanager', secretsManager.handler);
    const apiStage = `${apiUrl}/${topology.restApis[0]?.stages[0]?.name ?? ''}`;
    const providers = await startSandboxProviders({
      host,
      credentials,
      keys: sandboxKeys(topology.secrets, secretsManager),
      timeScale,
      webhooks: sandboxWebhooks(topology.secrets, secretsManager, apiStage),
    });
    this.stoppers.push(() => providers.stop());

    const runtime = new LambdaRuntime({
      // Connectors call the sandboxes, whose URLs are known only now.
      functions: withScaledCircuitTimes(withSandboxBaseUrls(topology.functions, providers), timeScale),
      baseEnvironment: functionEnvironment(awsUrl, region),
      defaultConcurrency: options.defaultConcurrency ?? 10,
      logs: this.logs,
      console,
      timeScale,
    });
    this.stoppers.push(() => runtime.stop());

    const sqsClient = new SQSClient({ endpoint: awsUrl, region, credentials: localCredentials() });
    this.stoppers.push(() => sqsClient.destroy());
    const { bridge, stepFunctions } = startEventing({
      topology,
      sqs,
      sqsClient,
      dynamoClient: dynamodb.client,
      runtime,
      logs: this.logs,
      console,
      awsUrl,
      timeScale,
    });
    this.stoppers.push(() => {
      stepFunctions.shutdown();
      bridge.stop();
    });

    const eventSources = eventSourcesOf(topology, { sqs, sqsClient, runtime, console, region, timeScale });
    this.stoppers.push(() => Promise.all(eventSources.map((source) => source.stop())).then(() => undefined));

    const { cognito, apis } = await startApis(topology, runtime, apiUrl);
    apiServer.attach(apis, cognito);

    this.parts = {
      assemblyDir,
      topology,
      urls: {
        aws: awsUrl,
        api: apiUrl,
        apiStage,
        token: `${apiUrl}/oauth2/token`,
      },
      runtime,
      sqs,
      dynamodb,
      bridge,
      stepFunctions,
      apis,
      cognito,
      providers,
      providerCredentials: credentials,
      secretsManager,
      eventSources,
      console,
      synthMs,
    };
    const parts = this.parts;
    this.registerServices(endpoint, parts);

    parts.readyMs = performance.now() - startedAt;
    const out = options.out ?? process.stdout;
    const mode = options.logMode ?? 'pretty';
    if (mode === 'pretty') out.write(renderBanner(parts));
    if (mode === 'json') out.write(`${JSON.stringify(readyRecord(parts))}\n`);
  }

  /** Synthesizes the app; a directory the cloud made for it is removed last when the cloud stops. */
  private synthesize(): string {
    const { outdir: givenOutdir, context, build } = this.options;
    const outdir = givenOutdir ?? mkdtempSync(path.join(tmpdir(), 'junction-local-'));
    if (!givenOutdir) this.stoppers.push(() => rmSync(outdir, { recursive: true, force: true }));
    return synthesize({ outdir, context, build });
  }

  private registerServices(endpoint: AwsEndpoint, parts: Parts): void {
    endpoint.register('events', eventBridgeApi(parts.bridge, ACCOUNT_ID));
    endpoint.register('states', stepFunctionsApi(parts.stepFunctions));
    endpoint.register('lambda', lambdaApi(parts.runtime));
    endpoint.register('logs', logsApi(this.logs));
    endpoint.registerPath(
      '/_local',
      inspectionApi({
        ...parts,
        logs: this.logs,
        environmentExports: () => this.environmentExports(),
        clients: () => this.clients(),
        circuits: () => this.circuits(),
      }),
    );
    endpoint.registerPath('/_console', consoleApi());
  }

  /** The first client's credentials and API key, as shell exports for the walkthrough. */
  environmentExports(): string {
    const { urls, topology, cognito } = this.started;
    const client = cognito.clients()[0];
    const apiKey = topology.restApis[0]?.apiKeys[0];
    const lines = {
      ...sdkEnvironment(urls.aws, topology.env.region),
      API_URL: urls.apiStage,
      TOKEN_URL: urls.token,
      CLIENT_ID: client?.clientId ?? '',
      CLIENT_SECRET: client?.clientSecret ?? '',
      API_KEY: apiKey?.value ?? '',
      ...Object.fromEntries(
        this.started.providers
          .all()
          .map((provider) => [`${provider.name.toUpperCase()}_SANDBOX_URL`, provider.url]),
      ),
    };
    return `${Object.entries(lines)
      .map(([name, value]) => `export ${name}='${value}'`)
      .join('\n')}\n`;
  }

  clients(): unknown {
    const { cognito, topology } = this.started;
    return {
      appClients: cognito.clients(),
      apiKeys: topology.restApis.flatMap((api) =>
        api.apiKeys.map((key) => ({ id: key.id, logicalId: key.logicalId, value: key.value })),
      ),
    };
  }

  /** Every provider's circuit, read from the circuit breaker table as the ops CLI reads it. */
  async circuits(): Promise<unknown> {
    const { dynamodb, topology } = this.started;
    const table = topology.tables.find((spec) => spec.logicalId.startsWith('Circuits'));
    // The local DynamoDB's own client: the console polls this every second.
    return table ? listCircuits(dynamodb.client, table.name) : [];
  }

  /** Resolves once event deliveries and asynchronous invocations in flight have settled. */
  async idle(): Promise<void> {
    await this.started.bridge.idle();
    await this.started.runtime.idle();
  }

  async stop(): Promise<void> {
    for (const stop of this.stoppers.reverse()) {
      try {
        await stop();
      } catch {
        // Keep stopping the rest.
      }
    }
    this.stoppers.length = 0;
  }
}

export interface Parts {
  /** The cloud assembly being run. */
  readonly assemblyDir: string;
  readonly topology: LocalTopology;
  readonly urls: {
    readonly aws: string;
    readonly api: string;
    /** The first REST API's first stage, where the walkthrough sends its requests. */
    readonly apiStage: string;
    readonly token: string;
  };
  readonly runtime: LambdaRuntime;
  readonly sqs: SqsService;
  readonly dynamodb: DynamoDbService;
  readonly bridge: EventBridge;
  readonly stepFunctions: StepFunctions;
  readonly apis: readonly RestApiEmulator[];
  readonly cognito: LocalCognito;
  readonly providers: SandboxProviders;
  /**
   * The API key each sandbox accepts at start: what a connector (or a test acting as one) calls it
   * with. A connector's credentials secret starts with it; a rotation of that secret replaces it.
   */
  readonly providerCredentials: Readonly<Record<ProviderName, string>>;
  readonly secretsManager: SecretsManagerService;
  readonly eventSources: readonly SqsEventSource[];
  readonly console: ConsoleLog;
  readonly synthMs: number;
  readyMs?: number;
}

function pickStack(stacks: StackArtifact[], name: string | undefined): StackArtifact {
  const stack = name ? stacks.find((candidate) => candidate.stackName === name) : stacks[0];
  if (!stack)
    throw new Error(
      name
        ? `No stack ${name} in the assembly (stacks: ${stacks.map((s) => s.stackName).join(', ')})`
        : 'The assembly has no stack',
    );
  return stack;
}

function providerCredentials() {
  const key = () => `sk_local_${randomBytes(12).toString('hex')}`;
  return { payment: key(), email: key(), crm: key(), analytics: key() };
}

/** What an AWS SDK or CLI needs to reach the local endpoint. */
function sdkEnvironment(awsUrl: string, region: string): Record<string, string> {
  const { accessKeyId, secretAccessKey } = localCredentials();
  return {
    AWS_ENDPOINT_URL: awsUrl,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}

/** What every function's environment adds to the template's: the local endpoint and credentials. */
function functionEnvironment(awsUrl: string, region: string): Record<string, string> {
  const endpoints = [
    'SQS',
    'SNS',
    'DYNAMODB',
    'EVENTBRIDGE',
    'SFN',
    'LAMBDA',
    'CLOUDWATCH_LOGS',
    'SECRETS_MANAGER',
  ];
  return {
    ...sdkEnvironment(awsUrl, region),
    ...Object.fromEntries(endpoints.map((service) => [`AWS_ENDPOINT_URL_${service}`, awsUrl])),
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  };
}

/** Per queue name, the longest timeout among the functions that consume it. */
function consumerTimeouts(topology: LocalTopology): Map<string, number> {
  const timeouts = new Map<string, number>();
  for (const mapping of topology.eventSourceMappings) {
    const queue = topology.queues.find((candidate) => candidate.arn === mapping.eventSourceArn);
    const fn = topology.functions.find((candidate) => candidate.name === mapping.functionName);
    if (queue && fn) timeouts.set(queue.name, Math.max(timeouts.get(queue.name) ?? 0, fn.timeoutSeconds));
  }
  return timeouts;
}

/** The local Cognito with the template's app clients, and an emulator per REST API. */
async function startApis(topology: LocalTopology, runtime: LambdaRuntime, apiUrl: string) {
  const cognito = await LocalCognito.create({
    issuerBaseUrl: apiUrl,
    userPools: topology.userPools.map((pool) => ({
      userPoolId: pool.id,
      clients: pool.clients
        .filter((client) => client.clientCredentials)
        .map((client) => ({
          name: client.logicalId,
          allowedScopes: client.allowedScopes,
          clientId: client.clientId,
        })),
    })),
  });
  const { accountId, region } = topology.env;
  const domainName = new URL(apiUrl).host;
  const apis = topology.restApis.map(
    (api) => new RestApiEmulator({ api, runtime, cognito, accountId, region, domainName }),
  );
  return { cognito, apis };
}

function eventSourcesOf(
  topology: LocalTopology,
  deps: {
    sqs: SqsService;
    sqsClient: SQSClient;
    runtime: LambdaRuntime;
    console: ConsoleLog;
    region: string;
    timeScale: number;
  },
): SqsEventSource[] {
  return topology.eventSourceMappings.flatMap((mapping) => {
    const queue = deps.sqs.queueByArn(mapping.eventSourceArn);
    if (!queue) return [];
    return [
      new SqsEventSource({
        mapping,
        queue,
        sqs: deps.sqsClient,
        runtime: deps.runtime,
        console: deps.console,
        region: deps.region,
        timeScale: deps.timeScale,
      }),
    ];
  });
}
