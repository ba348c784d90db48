import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CircuitBreaker, CircuitOpenError } from '../../../utils/resilience/circuit-breaker';
import { circuitStatus, resetCircuit } from '../../../utils/resilience/circuit-status';
import { createCircuitTable, manualClock } from '../../support/circuit-table';
import { type RunningDynalite, startDynalite } from '../../support/dynalite';
import { captureStdout, type StdoutCapture } from '../../support/stdout';

const TABLE = 'circuit-status';
const clock = manualClock();
const logger = new Logger({ serviceName: 'ops-test', logLevel: 'INFO' });
const quietLogger = new Logger({ serviceName: 'ops-test', logLevel: 'SILENT' });
const metrics = new Metrics({ namespace: 'Junction', serviceName: 'ops-test' });
let dynamo: RunningDynalite;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCircuitTable(dynamo.client, TABLE);
});

afterAll(async () => {
  await dynamo?.stop();
});

/** Runs `action` with metrics on, capturing the log lines and EMF records it writes. */
async function listening<T>(action: () => Promise<T>): Promise<{ result: T; stdout: StdoutCapture }> {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const stdout = captureStdout();
  try {
    return { result: await action(), stdout };
  } finally {
    stdout.restore();
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  }
}

function stateChanges(stdout: StdoutCapture): Record<string, unknown>[] {
  return stdout.json().filter((record) => '_aws' in record && 'Circuit_State_Changes_Total' in record);
}

function breaker(provider: string): CircuitBreaker {
  return new CircuitBreaker({
    tableName: TABLE,
    provider,
    client: dynamo.client,
    failureThreshold: 2,
    windowMs: 10_000,
    openMs: 60_000,
    cacheTtlMs: 0,
    now: clock.now,
    logger: quietLogger,
    metrics,
  });
}

async function fail(target: CircuitBreaker): Promise<void> {
  await expect(
    target.execute(() => Promise.reject(Object.assign(new Error('down'), { status: 503 }))),
  ).rejects.toThrow('down');
}

describe('circuitStatus and resetCircuit', () => {
  it('lists every provider with its state, then resets an open circuit so calls go through again', async () => {
    const payment = breaker('payment');
    const email = breaker('email');
    await fail(payment);
    await fail(payment);
    await fail(email);

    const status = await circuitStatus(dynamo.client, TABLE);
    expect(status).toEqual([
      expect.objectContaining({ provider: 'email', state: 'closed', failureCount: 1 }),
      expect.objectContaining({ provider: 'payment', state: 'open', failureCount: 2, openedAt: clock.now() }),
    ]);

    const { result: previous, stdout } = await listening(() =>
      resetCircuit(dynamo.client, TABLE, 'payment', { logger, metrics }),
    );
    expect(previous).toMatchObject({ provider: 'payment', state: 'open' });
    await expect(payment.execute(async () => 'charged')).resolves.toBe('charged');
    expect(await circuitStatus(dynamo.client, TABLE)).toContainEqual(
      expect.objectContaining({ provider: 'payment', state: 'closed', failureCount: 0 }),
    );
    const logged = stdout.json().find((line) => line.message === 'Circuit reset');
    expect(logged).toMatchObject({ provider: 'payment', from_state: 'open', to_state: 'closed' });
    expect(stateChanges(stdout)).toEqual([
      expect.objectContaining({ provider: 'payment', to_state: 'closed' }),
    ]);
  });

  it('counts no state change when the circuit was already closed', async () => {
    const crm = breaker('crm');
    await fail(crm);
    const { result: previous, stdout } = await listening(() =>
      resetCircuit(dynamo.client, TABLE, 'crm', { logger, metrics }),
    );
    expect(previous).toMatchObject({ state: 'closed', failureCount: 1 });
    expect(stateChanges(stdout)).toEqual([]);
    expect(stdout.json().filter((line) => line.message === 'Circuit reset')).toEqual([]);
  });

  it('refuses to reset a provider that has no circuit, naming it', async () => {
    await expect(resetCircuit(dynamo.client, TABLE, 'analytics-typo')).rejects.toThrow(
      'No circuit is recorded for provider "analytics-typo"',
    );
  });

  it('lets a breaker that failed fast call again once ops reset its circuit', async () => {
    const first = breaker('sms');
    await fail(first);
    await fail(first);
    await expect(first.execute(async () => 'sent')).rejects.toBeInstanceOf(CircuitOpenError);
    await resetCircuit(dynamo.client, TABLE, 'sms', { logger: quietLogger, metrics });
    await expect(first.execute(async () => 'sent')).resolves.toBe('sent');
  });
});
