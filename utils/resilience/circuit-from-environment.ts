import { dynamoDbClient } from '../aws/clients';
import { CircuitBreaker } from './circuit-breaker';

/** What a breaker uses when its function's environment leaves a setting out. */
export const CIRCUIT_DEFAULTS = Object.freeze({ failureThreshold: 5, windowSeconds: 60, openSeconds: 30 });

/**
 * The shared circuit of a provider, from the function's environment: the table in
 * `CIRCUIT_TABLE_NAME`; opens after CIRCUIT_FAILURE_THRESHOLD failures (default 5) within
 * CIRCUIT_WINDOW_SECONDS (default 60), probes again after CIRCUIT_OPEN_SECONDS (default 30).
 */
export function circuitBreakerFor(provider: string, env: NodeJS.ProcessEnv = process.env): CircuitBreaker {
  const tableName = env.CIRCUIT_TABLE_NAME;
  if (!tableName) throw new Error('CIRCUIT_TABLE_NAME must name the circuit breaker table');
  const seconds = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
    return value;
  };
  return new CircuitBreaker({
    tableName,
    provider,
    client: dynamoDbClient(),
    failureThreshold: seconds('CIRCUIT_FAILURE_THRESHOLD', CIRCUIT_DEFAULTS.failureThreshold),
    windowMs: seconds('CIRCUIT_WINDOW_SECONDS', CIRCUIT_DEFAULTS.windowSeconds) * 1000,
    openMs: seconds('CIRCUIT_OPEN_SECONDS', CIRCUIT_DEFAULTS.openSeconds) * 1000,
  });
}
