import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalCloud } from '../local/cloud';
import { median, percentile, round, table } from './stats';

// The local cloud's targets (issue 4): start-up to ready under 20 s with synth; POST /v1/orders
// p95 under 50 ms at 50 concurrent clients; order-to-consumed p95 under 500 ms.

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CLIENTS = 50;
const LOAD_SECONDS = 10;
/** Kept under the prod stage's usage plan (200 requests per second) so no request is throttled. */
const REQUESTS_PER_SECOND = 150;
const ORDER = JSON.stringify({
  customer: { id: 'cus-bench', email: 'bench@example.com' },
  currency: 'EUR',
  items: [{ sku: 'BENCH-1', quantity: 2, unit_amount: 1250 }],
});

interface LoadResult {
  readonly latencies: number[];
  readonly statuses: Record<number, number>;
  readonly consumedAfter: number[];
}

async function startCloud(): Promise<LocalCloud> {
  return LocalCloud.start({ awsPort: 0, apiPort: 0, logMode: 'quiet', context: { stage: 'prod' } });
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

/** 50 clients, each posting orders at an even pace for LOAD_SECONDS, and when each order is consumed. */
async function load(cloud: LocalCloud): Promise<LoadResult> {
  const stage = cloud.started.topology.restApis[0]?.stages[0]?.name;
  const url = `${cloud.started.urls.api}/${stage}/v1/orders`;
  const headers = {
    Authorization: `Bearer ${await token(cloud)}`,
    'x-api-key': cloud.started.topology.restApis[0]?.apiKeys[0]?.value ?? '',
    'Content-Type': 'application/json',
  };
  const postedAt = new Map<string, number>();
  const consumedAfter: number[] = [];
  const unsubscribe = cloud.logs.subscribe((event) => {
    if (!event.message.includes('Order recorded for analytics')) return;
    const orderId = (JSON.parse(event.message) as { order_id?: string }).order_id ?? '';
    const started = postedAt.get(orderId);
    if (started !== undefined) consumedAfter.push(performance.now() - started);
  });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const interval = (CLIENTS / REQUESTS_PER_SECOND) * 1000;
  const deadline = performance.now() + LOAD_SECONDS * 1000;
  const client = async (index: number) => {
    await new Promise((resolve) => setTimeout(resolve, (index * interval) / CLIENTS));
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'Idempotency-Key': `bench-${randomUUID()}` },
        body: ORDER,
      });
      const body = (await response.json()) as { order_id?: string };
      latencies.push(performance.now() - started);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (body.order_id) postedAt.set(body.order_id, started);
      const wait = interval - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
  const settle = performance.now() + 5000;
  while (consumedAfter.length < postedAt.size && performance.now() < settle)
    await new Promise((resolve) => setTimeout(resolve, 50));
  unsubscribe();
  return { latencies, statuses, consumedAfter };
}

export async function benchLocalCloud(): Promise<void> {
  const startups: { readyMs: number; synthMs: number; rssMb: number }[] = [];
  const loads: {
    p50: number;
    p95: number;
    p99: number;
    requests: number;
    non202: number;
    consumedP95: number;
    consumed: number;
  }[] = [];
  for (let run = 1; run <= RUNS; run += 1) {
    const cloud = await startCloud();
    startups.push({
      readyMs: cloud.started.readyMs ?? 0,
      synthMs: cloud.started.synthMs,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
    });
    const result = await load(cloud);
    const ok = result.statuses[202] ?? 0;
    loads.push({
      p50: percentile(result.latencies, 50),
      p95: percentile(result.latencies, 95),
      p99: percentile(result.latencies, 99),
      requests: result.latencies.length,
      non202: result.latencies.length - ok,
      consumedP95: percentile(result.consumedAfter, 95),
      consumed: result.consumedAfter.length,
    });
    await cloud.stop();
    process.stdout.write(
      `run ${run}/${RUNS}: ready ${round(startups.at(-1)?.readyMs ?? 0)} ms, POST p95 ${round(loads.at(-1)?.p95 ?? 0)} ms, consumed p95 ${round(loads.at(-1)?.consumedP95 ?? 0)} ms\n`,
    );
  }
  const summary = {
    runs: RUNS,
    clients: CLIENTS,
    requestsPerSecond: REQUESTS_PER_SECOND,
    loadSeconds: LOAD_SECONDS,
    startupReadyMs: median(startups.map((s) => s.readyMs)),
    startupSynthMs: median(startups.map((s) => s.synthMs)),
    rssMb: median(startups.map((s) => s.rssMb)),
    postP50Ms: median(loads.map((l) => l.p50)),
    postP95Ms: median(loads.map((l) => l.p95)),
    postP99Ms: median(loads.map((l) => l.p99)),
    requests: median(loads.map((l) => l.requests)),
    non202: Math.max(...loads.map((l) => l.non202)),
    consumedP95Ms: median(loads.map((l) => l.consumedP95)),
    consumed: median(loads.map((l) => l.consumed)),
  };
  process.stdout.write(
    `\nLocal cloud, medians over ${RUNS} runs (${CLIENTS} clients, ${REQUESTS_PER_SECOND} req/s for ${LOAD_SECONDS} s, stage prod)\n\n${table(
      ['measure', 'median', 'target'],
      [
        ['start-up to ready, synth included (s)', round(summary.startupReadyMs / 1000, 2), '< 20'],
        ['  of which synth (s)', round(summary.startupSynthMs / 1000, 2), ''],
        ['POST /v1/orders p50 (ms)', round(summary.postP50Ms), ''],
        ['POST /v1/orders p95 (ms)', round(summary.postP95Ms), '< 50'],
        ['POST /v1/orders p99 (ms)', round(summary.postP99Ms), ''],
        ['requests per run / not 202', `${summary.requests} / ${summary.non202}`, ''],
        ['order to consumed p95 (ms)', round(summary.consumedP95Ms), '< 500'],
        ['orders consumed per run', summary.consumed, ''],
        ['process RSS after start (MB)', round(summary.rssMb), ''],
      ],
    )}\n`,
  );
  const file = path.join(__dirname, 'results', 'local-cloud.json');
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), summary, startups, loads }, null, 2)}\n`,
  );
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), file)}\n`);
}
