/** The state of one dependency, as `GET /health` reports it. */
export type ComponentHealth =
  | ({ readonly status: 'up'; readonly latency_ms: number } & Readonly<Record<string, unknown>>)
  | { readonly status: 'down'; readonly latency_ms: number; readonly error: string };

export interface HealthReport {
  readonly healthy: boolean;
  readonly components: Readonly<Record<string, ComponentHealth>>;
}

/** A check resolves with details to report, or throws; it should give up when `signal` aborts. */
export type HealthCheck = (signal: AbortSignal) => Promise<Record<string, unknown> | undefined>;

class CheckTimeoutError extends Error {
  override name = 'Timeout';
}

/** A dependency answered, but in a state that cannot serve (a table still UPDATING). */
export class NotReadyError extends Error {
  constructor(state: string) {
    super(`Not ready: ${state}`);
    this.name = state;
  }
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CheckTimeoutError(`No answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const details = await Promise.race([check(controller.signal), deadline]);
    return { status: 'up', latency_ms: Math.round(performance.now() - started), ...details };
  } catch (error) {
    // Only the error's name: messages can carry ARNs and account ids.
    const name = error instanceof Error ? error.name : 'Error';
    return { status: 'down', latency_ms: Math.round(performance.now() - started), error: name };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function checkComponents(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
  );
  const components = Object.fromEntries(entries);
  return { healthy: entries.every(([, health]) => health.status === 'up'), components };
}
