import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LocalCloud } from '../local/cloud';
import { textTable } from '../utils/format/text-table';
import { type CliStartup, measureCliStartup } from './cli-startup';
import type { OrderLoadPlan, OrderLoadSample } from './order-load';
import { median, percentile, round } from './stats';

// The local cloud's targets (issue 4): start-up to ready under 20 s with synth; POST /v1/orders
// p95 under 50 ms at 50 concurrent clients; order-to-consumed p95 under 500 ms.

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = 50;
const WARMUP_SECONDS = 10;
const LOAD_SECONDS = 10;
/**
 * Offered loads, all from 50 clients: below what 2 cores sustain with the saga, light, one order a
 * second each, three a second each (under the prod usage plan's 200/s).
 */
const RATES = [10, 20, 50, 150] as const;
const ORDER = JSON.stringify({
  customer: { id: 'cus-bench', email: 'bench@example.com' },
  currency: 'EUR',
  items: [{ sku: 'BENCH-1', quantity: 2, unit_amount: 1250 }],
});

interface LoadFigures {
  readonly rate: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly requests: number;
  readonly non202: number;
  readonly consumedP95: number;
  readonly consumed: number;
  readonly cpuCores: number;
}

async function token(cloud: LocalCloud): Promise<string> {
  const client = cloud.started.cognito.clients()[0];
  const response = await fetch(`${cloud.started.urls.api}/oauth2/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${client?.clientId}:${client?.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=orders/write',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

function runLoadWorker(plan: OrderLoadPlan): Promise<OrderLoadSample[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'order-load.ts'), { workerData: plan });
    worker.once('message', (message: { samples?: OrderLoadSample[]; error?: string }) => {
      void worker.terminate();
      if (message.samples) resolve(message.samples);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
  });
}

/** Posts orders at `rate` from a separate thread, and times each order until the consumer records it. */
async function load(cloud: LocalCloud, plan: Omit<OrderLoadPlan, 'requestsPerSecond'>, rate: number) {
  const consumedAt = new Map<string, number>();
  const unsubscribe = cloud.logs.subscribe((event) => {
    if (!event.message.includes('Order recorded for analytics')) return;
    const orderId = (JSON.parse(event.message) as { order_id?: string }).order_id;
    if (orderId) consumedAt.set(orderId, performance.timeOrigin + performance.now());
  });
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const samples = await runLoadWorker({ ...plan, requestsPerSecond: rate });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuCores = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
  const orders = samples.filter((sample) => sample.orderId);
  const settle = performance.now() + 10_000;
  while (orders.some((sample) => !consumedAt.has(sample.orderId ?? '')) && performance.now() < settle)
    await new Promise((resolve) => setTimeout(resolve, 50));
  unsubscribe();
  const consumedAfter = orders.flatMap((sample) => {
    const at = consumedAt.get(sample.orderId ?? '');
    return at === undefined ? [] : [at - sample.postedAtEpochMs];
  });
  const latencies = samples.map((sample) => sample.latencyMs);
  return {
    rate,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    requests: samples.length,
    non202: samples.filter((sample) => sample.status !== 202).length,
    consumedP95: percentile(consumedAfter, 95),
    consumed: consumedAfter.length,
    cpuCores,
  } satisfies LoadFigures;
}

export async function benchLocalCloud(): Promise<void> {
  const startups: (CliStartup & { firstOrderMs: number })[] = [];
  const loads: LoadFigures[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const cliStartup = await measureCliStartup('prod');
    const cloud = await LocalCloud.start({
      awsPort: 0,
      apiPort: 0,
      logMode: 'quiet',
      context: { stage: 'prod' },
    });
    const api = cloud.started.topology.restApis[0];
    const plan = {
      url: `${cloud.started.urls.api}/${api?.stages[0]?.name}/v1/orders`,
      headers: {
        Authorization: `Bearer ${await token(cloud)}`,
        'x-api-key': api?.apiKeys[0]?.value ?? '',
        'Content-Type': 'application/json',
      },
      body: ORDER,
      clients: CLIENTS,
      warmupSeconds: WARMUP_SECONDS,
      seconds: LOAD_SECONDS,
    };
    const firstOrderStarted = performance.now();
    await fetch(plan.url, {
      method: 'POST',
      headers: { ...plan.headers, 'Idempotency-Key': `bench-first-${run}` },
      body: ORDER,
    });
    startups.push({ ...cliStartup, firstOrderMs: performance.now() - firstOrderStarted });
    for (const rate of RATES) {
      const figures = await load(cloud, plan, rate);
      loads.push(figures);
      process.stdout.write(
        `run ${run}/${RUNS} at ${rate}/s: POST p95 ${round(figures.p95)} ms, consumed p95 ${round(figures.consumedP95)} ms, ${round(figures.cpuCores, 2)} cores\n`,
      );
    }
    await cloud.stop();
  }
  const at = (rate: number, pick: (figures: LoadFigures) => number) =>
    median(loads.filter((figures) => figures.rate === rate).map(pick));
  const summary = {
    runs: RUNS,
    clients: CLIENTS,
    loadSeconds: LOAD_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    startupWallMs: median(startups.map((s) => s.wallMs)),
    startupReadyMs: median(startups.map((s) => s.readyMs)),
    startupSynthMs: median(startups.map((s) => s.synthMs)),
    firstOrderMs: median(startups.map((s) => s.firstOrderMs)),
    rssMb: median(startups.map((s) => s.rssMb)),
    byRate: RATES.map((rate) => ({
      requestsPerSecond: rate,
      postP50Ms: at(rate, (l) => l.p50),
      postP95Ms: at(rate, (l) => l.p95),
      postP99Ms: at(rate, (l) => l.p99),
      requests: at(rate, (l) => l.requests),
      non202: Math.max(...loads.filter((l) => l.rate === rate).map((l) => l.non202)),
      consumedP95Ms: at(rate, (l) => l.consumedP95),
      consumed: at(rate, (l) => l.consumed),
      cpuCores: at(rate, (l) => l.cpuCores),
    })),
  };
  const rows: (string | number)[][] = [
    ['npm start to ready, fresh process (s)', round(summary.startupWallMs / 1000, 2), '< 20'],
    ['  ready as the cloud reports it (s)', round(summary.startupReadyMs / 1000, 2), ''],
    ['  of which synth (s)', round(summary.startupSynthMs / 1000, 2), ''],
    ['RSS when ready (MB)', round(summary.rssMb), ''],
    ['first order, cold functions (ms)', round(summary.firstOrderMs), ''],
  ];
  for (const figures of summary.byRate) {
    const label = `${figures.requestsPerSecond}/s`;
    rows.push(
      [`${label}: POST /v1/orders p50 (ms)`, round(figures.postP50Ms), ''],
      [`${label}: POST /v1/orders p95 (ms)`, round(figures.postP95Ms), '< 50'],
      [`${label}: POST /v1/orders p99 (ms)`, round(figures.postP99Ms), ''],
      [`${label}: requests measured / not 202`, `${figures.requests} / ${figures.non202}`, ''],
      [`${label}: order to consumed p95 (ms)`, round(figures.consumedP95Ms), '< 500'],
      [`${label}: orders consumed`, figures.consumed, ''],
      [`${label}: CPU used (cores of 2)`, round(figures.cpuCores, 2), ''],
    );
  }
  process.stdout.write(
    `\nLocal cloud, medians over ${RUNS} runs (${CLIENTS} clients paced from a separate thread, ${WARMUP_SECONDS} s warm-up then ${LOAD_SECONDS} s measured per rate, stage prod)\n\n${textTable(['measure', 'median', 'target'], rows)}\n`,
  );
  const file = path.join(__dirname, 'results', 'local-cloud.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), summary, startups, loads }, null, 2)}\n`,
  );
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), file)}\n`);
}
