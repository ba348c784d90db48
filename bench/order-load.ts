import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

/** What the load worker is told: where to post, how many clients, at what pace, for how long. */
export interface OrderLoadPlan {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly clients: number;
  readonly requestsPerSecond: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
}

/** One measured request: latency, status, and when (epoch ms) the order it created was posted. */
export interface OrderLoadSample {
  readonly latencyMs: number;
  readonly status: number;
  readonly orderId?: string;
  readonly postedAtEpochMs: number;
}

const epochNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each client posts at an even pace (requestsPerSecond / clients), so the offered load does not
 * fall when the server slows down. Runs in its own thread, as real clients would run elsewhere.
 */
async function run(plan: OrderLoadPlan): Promise<OrderLoadSample[]> {
  const interval = (plan.clients / plan.requestsPerSecond) * 1000;
  const start = performance.now();
  const measureFrom = start + plan.warmupSeconds * 1000;
  const deadline = measureFrom + plan.seconds * 1000;
  const samples: OrderLoadSample[] = [];
  const client = async (index: number) => {
    let next = start + (index * interval) / plan.clients;
    while (next < deadline) {
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      const postedAtEpochMs = epochNow();
      const began = performance.now();
      const response = await fetch(plan.url, {
        method: 'POST',
        headers: { ...plan.headers, 'Idempotency-Key': `bench-${randomUUID()}` },
        body: plan.body,
      });
      const answer = (await response.json()) as { order_id?: string };
      if (began >= measureFrom)
        samples.push({
          latencyMs: performance.now() - began,
          status: response.status,
          orderId: answer.order_id,
          postedAtEpochMs,
        });
      next += interval;
    }
  };
  await Promise.all(Array.from({ length: plan.clients }, (_, index) => client(index)));
  return samples;
}

if (parentPort) {
  const port = parentPort;
  run(workerData as OrderLoadPlan).then(
    (samples) => port.postMessage({ samples }),
    (error: unknown) => port.postMessage({ error: String(error) }),
  );
}
