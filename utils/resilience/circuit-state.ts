import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * The shared state of one provider's circuit: one item per provider, keyed `provider`.
 *
 * Failures are counted in a fixed window: the first failure after the previous window expired
 * starts a window (`window_started_at`), later failures within `windowMs` of that start add to
 * `failure_count`, and the window that reaches the threshold opens the circuit. A fixed window
 * costs one conditional write per failure and no list of timestamps; the price is that failures
 * straddling two windows (up to 2 × (threshold − 1) within `windowMs`) may not open it.
 *
 * Every transition is one UpdateItem whose condition states what must still be true (the state,
 * the window, the probe's id), so concurrent instances cannot both win it or undo each other's.
 * `version` goes up on every write; it orders the state changes in logs.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitRecord {
  readonly provider: string;
  readonly state: CircuitState;
  /** Failures counted in the current window. */
  readonly failureCount: number;
  /** Epoch ms when the current failure window started; 0 when none has. */
  readonly windowStartedAt: number;
  /** Epoch ms when the circuit (last) opened. */
  readonly openedAt?: number;
  /** The id of the probe that holds the half-open circuit, and when it took it. */
  readonly probeId?: string;
  readonly probeStartedAt?: number;
  readonly version: number;
}

export interface CountFailure {
  readonly now: number;
  readonly windowMs: number;
}

export interface OpenCircuit {
  readonly now: number;
  /** The window that reached the threshold: a later window opens nothing. */
  readonly windowStartedAt: number;
  readonly threshold: number;
}

export interface ClaimProbe {
  readonly now: number;
  readonly openMs: number;
  readonly probeLeaseMs: number;
  readonly probeId: string;
}

export interface FinishProbe {
  readonly now: number;
  readonly probeId: string;
  /** The provider answered: close. Otherwise open again. */
  readonly healthy: boolean;
}

export interface CircuitStoreOptions {
  /** Items per Scan page when listing. @default DynamoDB's 1 MB page */
  readonly pageSize?: number;
}

const STATES: readonly string[] = ['closed', 'open', 'half_open'] satisfies CircuitState[];
const STATE_NAME = { '#state': 'state' };
const CONTENTION_ATTEMPTS = 3;
const CLEAN_SLATE = 'failure_count = :zero, window_started_at = :zero';

type Values = Record<string, string | number>;

interface Update {
  readonly set: string;
  readonly remove?: string;
  readonly condition: string;
  readonly values: Values;
  readonly returnOld?: boolean;
}

function attributeValues(values: Values): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value === 'number' ? { N: String(value) } : { S: value },
    ]),
  );
}

function numberOf(item: Record<string, AttributeValue>, name: string): number | undefined {
  const value = item[name]?.N;
  return value === undefined ? undefined : Number(value);
}

function toRecord(item: Record<string, AttributeValue>): CircuitRecord {
  const provider = item.provider?.S;
  const state = item.state?.S;
  if (provider === undefined || state === undefined || !STATES.includes(state)) {
    throw new Error(`Malformed circuit item for provider "${provider}": state "${state}"`);
  }
  const openedAt = numberOf(item, 'opened_at');
  const probeId = item.probe_id?.S;
  const probeStartedAt = numberOf(item, 'probe_started_at');
  return {
    provider,
    state: state as CircuitState,
    failureCount: numberOf(item, 'failure_count') ?? 0,
    windowStartedAt: numberOf(item, 'window_started_at') ?? 0,
    ...(openedAt === undefined ? {} : { openedAt }),
    ...(probeId === undefined ? {} : { probeId }),
    ...(probeStartedAt === undefined ? {} : { probeStartedAt }),
    version: numberOf(item, 'version') ?? 0,
  };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Reads and changes circuit items in one DynamoDB table with conditional writes. */
export class CircuitStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: CircuitStoreOptions = {},
  ) {}

  /** A strongly consistent read; a provider with no item is closed with no failures. */
  async read(provider: string): Promise<CircuitRecord> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { provider: { S: provider } },
        ConsistentRead: true,
      }),
    );
    return Item
      ? toRecord(Item)
      : { provider, state: 'closed', failureCount: 0, windowStartedAt: 0, version: 0 };
  }

  /**
   * Adds a failure to the current window, or starts a new window with it. Answers the item
   * afterwards; a circuit that is not closed counts nothing and is answered as it is.
   */
  async countFailure(provider: string, { now, windowMs }: CountFailure): Promise<CircuitRecord> {
    const windowFloor = now - windowMs;
    for (let attempt = 1; ; attempt += 1) {
      const counted = await this.update(provider, {
        set: 'failure_count = failure_count + :one, version = version + :one',
        condition: '#state = :closed AND window_started_at > :floor',
        values: { ':one': 1, ':closed': 'closed', ':floor': windowFloor },
      });
      if (counted) return counted;
      const started = await this.update(provider, {
        set: '#state = :closed, failure_count = :one, window_started_at = :now, version = if_not_exists(version, :zero) + :one',
        condition: 'attribute_not_exists(provider) OR (#state = :closed AND window_started_at <= :floor)',
        values: { ':one': 1, ':zero': 0, ':closed': 'closed', ':now': now, ':floor': windowFloor },
      });
      if (started) return started;
      // Neither: the circuit is not closed, or another instance started the window in between.
      const current = await this.read(provider);
      if (current.state !== 'closed' || attempt === CONTENTION_ATTEMPTS) return current;
    }
  }

  /** closed → open, if the window still is the one that reached the threshold. */
  open(
    provider: string,
    { now, windowStartedAt, threshold }: OpenCircuit,
  ): Promise<CircuitRecord | undefined> {
    return this.update(provider, {
      set: '#state = :open, opened_at = :now, version = version + :one',
      condition: '#state = :closed AND window_started_at = :window AND failure_count >= :threshold',
      values: {
        ':open': 'open',
        ':closed': 'closed',
        ':now': now,
        ':one': 1,
        ':window': windowStartedAt,
        ':threshold': threshold,
      },
    });
  }

  /**
   * open → half_open for one caller: the circuit has been open for `openMs`, or the probe that
   * holds it has not reported within `probeLeaseMs` (its instance may be gone).
   */
  claimProbe(
    provider: string,
    { now, openMs, probeLeaseMs, probeId }: ClaimProbe,
  ): Promise<CircuitRecord | undefined> {
    return this.update(provider, {
      set: '#state = :half, probe_id = :probe, probe_started_at = :now, version = version + :one',
      condition:
        '(#state = :open AND opened_at <= :openDue) OR (#state = :half AND probe_started_at <= :leaseDue)',
      values: {
        ':half': 'half_open',
        ':open': 'open',
        ':probe': probeId,
        ':now': now,
        ':one': 1,
        ':openDue': now - openMs,
        ':leaseDue': now - probeLeaseMs,
      },
    });
  }

  /** half_open → closed with a clean slate, or → open again; only the probe that holds it. */
  finishProbe(provider: string, { now, probeId, healthy }: FinishProbe): Promise<CircuitRecord | undefined> {
    const condition = '#state = :half AND probe_id = :probe';
    if (healthy) {
      return this.update(provider, {
        set: `#state = :closed, ${CLEAN_SLATE}, version = version + :one`,
        remove: 'opened_at, probe_id, probe_started_at',
        condition,
        values: { ':closed': 'closed', ':zero': 0, ':one': 1, ':half': 'half_open', ':probe': probeId },
      });
    }
    return this.update(provider, {
      set: '#state = :open, opened_at = :now, version = version + :one',
      remove: 'probe_id, probe_started_at',
      condition,
      values: { ':open': 'open', ':now': now, ':one': 1, ':half': 'half_open', ':probe': probeId },
    });
  }

  /** Any state → closed with a clean slate. Answers the item as it was; undefined if there was none. */
  reset(provider: string): Promise<CircuitRecord | undefined> {
    return this.update(provider, {
      set: `#state = :closed, ${CLEAN_SLATE}, version = version + :one`,
      remove: 'opened_at, probe_id, probe_started_at',
      condition: 'attribute_exists(provider)',
      values: { ':closed': 'closed', ':zero': 0, ':one': 1 },
      returnOld: true,
    });
  }

  /** Every provider's circuit, sorted by provider. */
  async list(): Promise<CircuitRecord[]> {
    const records: CircuitRecord[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          Limit: this.options.pageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      records.push(...(page.Items ?? []).map(toRecord));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records.sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0));
  }

  /** One conditional UpdateItem; undefined when its condition did not hold. */
  private async update(provider: string, update: Update): Promise<CircuitRecord | undefined> {
    const expression = `SET ${update.set}${update.remove ? ` REMOVE ${update.remove}` : ''}`;
    const usesState = `${expression} ${update.condition}`.includes('#state');
    try {
      const { Attributes } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { provider: { S: provider } },
          UpdateExpression: expression,
          ConditionExpression: update.condition,
          ExpressionAttributeNames: usesState ? STATE_NAME : undefined,
          ExpressionAttributeValues: attributeValues(update.values),
          ReturnValues: update.returnOld ? 'ALL_OLD' : 'ALL_NEW',
        }),
      );
      return Attributes ? toRecord(Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
