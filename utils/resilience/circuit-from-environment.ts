import { dynamoDbClient } from '../aws/clients';
import { CircuitBreaker } from './circuit-breaker';

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
    failureThreshold: seconds('CIRCUIT_FAILURE_THRESHOLD', 5),
    windowMs: seconds('CIRCUIT_WINDOW_SECONDS', 60) * 1000,
    openMs: seconds('CIRCUIT_OPEN_SECONDS', 30) * 1000,
  });
}
