import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableSpec } from '../template/topology-types';
import {
  AwsError,
  type AwsRequest,
  jsonBody,
  jsonError,
  jsonResponse,
  localCredentials,
  operationOf,
  type ServiceHandler,
} from './aws-protocol';
import { forward } from './forward';

const CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * DynamoDB, served by dynalite behind the local endpoint, with the tables of the template.
 * dynalite has no Time to Live: the TTL settings are answered here and a sweeper deletes expired
 * items, as DynamoDB does (there within days, here within a sweep interval).
 */
export class DynamoDbService {
  private readonly ttl = new Map<string, string>();
  private readonly keys = new Map<string, string[]>();
  private sweeper?: NodeJS.Timeout;
  /** The sweep under way, which stop() waits for: dynalite closed mid-scan throws from a timer. */
  private sweeping: Promise<number> = Promise.resolve(0);

  private constructor(
    private readonly server: Server,
    private readonly port: number,
    /** Talks to dynalite directly: item operations need nothing the endpoint adds. */
    readonly client: DynamoDBClient,
  ) {}

  static async start(options: {
    readonly tables: readonly TableSpec[];
    readonly region: string;
    readonly sweepIntervalMs: number;
  }) {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: options.region,
      credentials: localCredentials(),
    });
    const service = new DynamoDbService(server, port, client);
    for (const table of options.tables) {
      await client.send(new CreateTableCommand(table.definition as never));
      if (table.ttlAttribute) service.ttl.set(table.name, table.ttlAttribute);
    }
    // A failed sweep (a table deleted since) must not bring the local cloud down; the next one retries.
    service.sweeper = setInterval(() => void service.sweep().catch(() => undefined), options.sweepIntervalMs);
    service.sweeper.unref();
    return service;
  }

  readonly handler: ServiceHandler = async (request: AwsRequest) => {
    const operation = operationOf(request);
    try {
      if (operation === 'UpdateTimeToLive') return await this.updateTimeToLive(jsonBody(request));
      if (operation === 'DescribeTimeToLive') return await this.describeTimeToLive(jsonBody(request));
    } catch (error) {
      if (error instanceof AwsError) return jsonError(error, CONTENT_TYPE);
      throw error;
    }
    return forward(this.port, request);
  };

  /** Fails as DynamoDB does when the table does not exist. */
  private async requireTable(table: string): Promise<void> {
    try {
      await this.client.send(new DescribeTableCommand({ TableName: table }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFoundException') {
        throw new AwsError(
          'ResourceNotFoundException',
          `Requested resource not found: Table: ${table} not found`,
        );
      }
      throw error;
    }
  }

  private async updateTimeToLive(input: Record<string, unknown>) {
    const spec = input.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    const table = String(input.TableName);
    if (!spec?.AttributeName) {
      throw new AwsError('ValidationException', 'TimeToLiveSpecification.AttributeName is required');
    }
    await this.requireTable(table);
    if (spec.Enabled) this.ttl.set(table, spec.AttributeName);
    else this.ttl.delete(table);
    return jsonResponse({ TimeToLiveSpecification: spec }, 200, CONTENT_TYPE);
  }

  private async describeTimeToLive(input: Record<string, unknown>) {
    await this.requireTable(String(input.TableName));
    const attribute = this.ttl.get(String(input.TableName));
    const description = attribute
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute }
      : { TimeToLiveStatus: 'DISABLED' };
    return jsonResponse({ TimeToLiveDescription: description }, 200, CONTENT_TYPE);
  }

  /** Deletes the items whose TTL attribute (epoch seconds) has passed. */
  sweep(now = Date.now()): Promise<number> {
    const previous = this.sweeping;
    this.sweeping = previous.catch(() => 0).then(() => this.sweepAll(now));
    return this.sweeping;
  }

  private async sweepAll(now: number): Promise<number> {
    let deleted = 0;
    for (const [table, attribute] of this.ttl) {
      deleted += await this.sweepTable(table, attribute, now).catch(() => 0);
    }
    return deleted;
  }

  private async sweepTable(table: string, attribute: string, now: number): Promise<number> {
    let deleted = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        const expiry = Number(item[attribute]?.N);
        if (Number.isFinite(expiry) && expiry * 1000 < now) {
          await this.client.send(
            new DeleteItemCommand({ TableName: table, Key: await this.keyOf(table, item) }),
          );
          deleted += 1;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return deleted;
  }

  private async keyOf(
    table: string,
    item: Record<string, AttributeValue>,
  ): Promise<Record<string, AttributeValue>> {
    let names = this.keys.get(table);
    if (!names) {
      const { Table } = await this.client.send(new DescribeTableCommand({ TableName: table }));
      names = (Table?.KeySchema ?? []).map((key) => String(key.AttributeName));
      this.keys.set(table, names);
    }
    return Object.fromEntries(names.map((name) => [name, item[name] as AttributeValue]));
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping.catch(() => undefined);
    this.client.destroy();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
