import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbService } from '../../../../local/services/dynamodb-service';
import type { TableSpec } from '../../../../local/template/topology-types';
import { jsonOf, jsonProtocolRequest, sigv4, textOf } from '../../../fixtures/local-services/aws-request';

const REGION = 'us-east-1';

function table(name: string, keys: readonly [string, string?], ttlAttribute?: string): TableSpec {
  const [hash, range] = keys;
  return {
    logicalId: `${name}Table`,
    name,
    arn: `arn:aws:dynamodb:${REGION}:000000000000:table/${name}`,
    definition: {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [hash, range]
        .filter((key): key is string => key !== undefined)
        .map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: hash, KeyType: 'HASH' },
        ...(range ? [{ AttributeName: range, KeyType: 'RANGE' }] : []),
      ],
    },
    ...(ttlAttribute ? { ttlAttribute } : {}),
  };
}

const TABLES = [
  table('Sessions', ['pk', 'sk'], 'expiresAt'),
  table('Plain', ['id']),
  table('Bulky', ['id'], 'ttl'),
];

let service: DynamoDbService;

beforeAll(async () => {
  service = await DynamoDbService.start({ tables: TABLES, region: REGION, sweepIntervalMs: 3_600_000 });
});

afterAll(() => service.stop());

const call = (operation: string, input: unknown) =>
  service.handler(
    jsonProtocolRequest({
      service: 'dynamodb',
      target: `DynamoDB_20120810.${operation}`,
      input,
      contentType: 'application/x-amz-json-1.0',
      headers: { authorization: sigv4('dynamodb'), 'x-amz-date': '20250115T100000Z' },
    }),
  );

type Item = Record<string, { S?: string; N?: string }>;

async function keysIn(tableName: string): Promise<string[]> {
  const answer = jsonOf(await call('Scan', { TableName: tableName }));
  return ((answer.Items ?? []) as Item[])
    .map((item) => [item.pk?.S ?? item.id?.S, item.sk?.S].filter(Boolean).join('#'))
    .sort();
}

describe('DynamoDbService tables and forwarding', () => {
  it('creates every table of the template, with its key schema', async () => {
    const listed = jsonOf(await call('ListTables', {}));
    expect(listed.TableNames).toEqual(expect.arrayContaining(['Sessions', 'Plain', 'Bulky']));
    const described = jsonOf(await call('DescribeTable', { TableName: 'Sessions' }));
    expect(described.Table).toMatchObject({
      TableName: 'Sessions',
      TableStatus: 'ACTIVE',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });

  it('forwards a PutItem and a GetItem to dynalite and returns its answers', async () => {
    const item = { id: { S: 'p-1' }, colour: { S: 'teal' }, count: { N: '3' } };
    const put = await call('PutItem', { TableName: 'Plain', Item: item });
    expect(put.status).toBe(200);
    const got = await call('GetItem', { TableName: 'Plain', Key: { id: { S: 'p-1' } } });
    expect(got.status).toBe(200);
    expect(jsonOf(got)).toEqual({ Item: item });
  });

  it('passes dynalite’s errors through with their status', async () => {
    const answer = await call('GetItem', { TableName: 'Missing', Key: { id: { S: 'x' } } });
    expect(answer.status).toBe(400);
    expect(textOf(answer)).toContain('ResourceNotFoundException');
  });
});

describe('DynamoDbService Time to Live settings', () => {
  it('describes the TTL attribute the template gave a table as enabled', async () => {
    const answer = await call('DescribeTimeToLive', { TableName: 'Sessions' });
    expect(answer.status).toBe(200);
    expect(answer.headers?.['Content-Type']).toBe('application/x-amz-json-1.0');
    expect(jsonOf(answer)).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' },
    });
  });

  it('describes a table without a TTL attribute as disabled', async () => {
    expect(jsonOf(await call('DescribeTimeToLive', { TableName: 'Plain' }))).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
  });

  it('enables and disables TTL with UpdateTimeToLive, echoing the specification', async () => {
    const specification = { AttributeName: 'gone', Enabled: true };
    const enabled = await call('UpdateTimeToLive', {
      TableName: 'Plain',
      TimeToLiveSpecification: specification,
    });
    expect(enabled.status).toBe(200);
    expect(jsonOf(enabled)).toEqual({ TimeToLiveSpecification: specification });
    expect(jsonOf(await call('DescribeTimeToLive', { TableName: 'Plain' }))).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'gone' },
    });

    await call('UpdateTimeToLive', {
      TableName: 'Plain',
      TimeToLiveSpecification: { AttributeName: 'gone', Enabled: false },
    });
    expect(jsonOf(await call('DescribeTimeToLive', { TableName: 'Plain' }))).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
    });
  });

  it('refuses an UpdateTimeToLive without AttributeName with a ValidationException', async () => {
    const answer = await call('UpdateTimeToLive', {
      TableName: 'Sessions',
      TimeToLiveSpecification: { Enabled: true },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers).toMatchObject({
      'Content-Type': 'application/x-amz-json-1.0',
      'x-amzn-ErrorType': 'ValidationException',
    });
    expect(jsonOf(answer)).toEqual({
      __type: 'ValidationException',
      message: 'TimeToLiveSpecification.AttributeName is required',
    });
    const unchanged = jsonOf(await call('DescribeTimeToLive', { TableName: 'Sessions' }));
    expect(unchanged.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt' });
  });

  it('answers a TTL request whose body is not JSON with a SerializationException', async () => {
    const answer = await call('DescribeTimeToLive', 'not json');
    expect(answer.status).toBe(400);
    expect(jsonOf(answer)).toMatchObject({ __type: 'SerializationException' });
  });
});

describe('DynamoDbService.sweep', () => {
  const NOW = Date.UTC(2025, 0, 15, 10, 0, 0);
  const seconds = (ms: number) => String(Math.floor(ms / 1000));

  it('deletes only the items whose TTL has passed, by their composite key', async () => {
    const items: Item[] = [
      { pk: { S: 'user-1' }, sk: { S: 'a' }, expiresAt: { N: seconds(NOW - 60_000) } },
      { pk: { S: 'user-1' }, sk: { S: 'b' }, expiresAt: { N: seconds(NOW + 60_000) } },
      { pk: { S: 'user-2' }, sk: { S: 'a' }, expiresAt: { N: seconds(NOW - 1_000) } },
      { pk: { S: 'user-2' }, sk: { S: 'b' } },
      { pk: { S: 'user-3' }, sk: { S: 'a' }, expiresAt: { S: seconds(NOW - 60_000) } },
      { pk: { S: 'user-3' }, sk: { S: 'b' }, expiresAt: { N: seconds(NOW) } },
    ];
    for (const Item of items) await call('PutItem', { TableName: 'Sessions', Item });

    expect(await service.sweep(NOW)).toBe(2);
    expect(await keysIn('Sessions')).toEqual(['user-1#b', 'user-2#b', 'user-3#a', 'user-3#b']);
  });

  it('leaves tables without TTL alone, and honours a TTL enabled at run time', async () => {
    await call('PutItem', {
      TableName: 'Plain',
      Item: { id: { S: 'old' }, expiresAt: { N: '1' }, gone: { N: '1' } },
    });
    await service.sweep(NOW);
    expect(await keysIn('Plain')).toContain('old');

    await call('UpdateTimeToLive', {
      TableName: 'Plain',
      TimeToLiveSpecification: { AttributeName: 'gone', Enabled: true },
    });
    expect(await service.sweep(NOW)).toBeGreaterThanOrEqual(1);
    expect(await keysIn('Plain')).not.toContain('old');
  });

  it('deletes nothing when run again with nothing expired', async () => {
    expect(await service.sweep(NOW)).toBe(0);
  });

  it('sweeps past the first page of a scan', async () => {
    const padding = 'x'.repeat(100_000);
    for (let index = 0; index < 14; index += 1) {
      await call('PutItem', {
        TableName: 'Bulky',
        Item: { id: { S: `big-${index}` }, ttl: { N: '1000' }, padding: { S: padding } },
      });
    }
    const firstPage = jsonOf(await call('Scan', { TableName: 'Bulky' }));
    expect(firstPage.LastEvaluatedKey).toBeDefined();

    expect(await service.sweep(NOW)).toBe(14);
    expect(await keysIn('Bulky')).toEqual([]);
  });
});

describe('DynamoDbService Time to Live on unknown tables', () => {
  it('refuses UpdateTimeToLive for a table that does not exist, and the sweeper carries on', async () => {
    const answer = await call('UpdateTimeToLive', {
      TableName: 'Nope',
      TimeToLiveSpecification: { AttributeName: 'x', Enabled: true },
    });
    expect(answer.status).toBe(400);
    expect(String(jsonOf(answer).__type)).toMatch(/ResourceNotFoundException$/);
    await expect(service.sweep()).resolves.toEqual(expect.any(Number));
  });

  it('refuses DescribeTimeToLive for a table that does not exist', async () => {
    const answer = await call('DescribeTimeToLive', { TableName: 'Nope' });
    expect(answer.status).toBe(400);
    expect(String(jsonOf(answer).__type)).toMatch(/ResourceNotFoundException$/);
  });
});

describe('DynamoDbService.stop', () => {
  it('waits for a sweep in flight before closing dynalite', async () => {
    const own = await DynamoDbService.start({
      tables: [table('Expiring', ['id'], 'ttl')],
      region: REGION,
      sweepIntervalMs: 3_600_000,
    });
    for (let index = 0; index < 40; index += 1) {
      await own.client.send(
        new PutItemCommand({ TableName: 'Expiring', Item: { id: { S: `old-${index}` }, ttl: { N: '1' } } }),
      );
    }
    const sweeping = own.sweep();
    await own.stop();
    // Stopped mid-scan, dynalite would throw "Database is not open" from a timer, outside any promise.
    await expect(sweeping).resolves.toBe(40);
  });
});
