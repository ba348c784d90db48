import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type CircuitHooks, reportStateChange } from './circuit-breaker';
import { type CircuitRecord, CircuitStore } from './circuit-state';

/** A reset named a provider that has no circuit in the table: most likely a typo. */
export class UnknownCircuitError extends Error {
  override readonly name = 'UnknownCircuitError';
  constructor(provider: string, tableName: string) {
    super(`No circuit is recorded for provider "${provider}" in table ${tableName}`);
  }
}

/** Every provider's circuit as the table holds it, sorted by provider (for ops). */
export function circuitStatus(client: DynamoDBClient, tableName: string): Promise<CircuitRecord[]> {
  return new CircuitStore(client, tableName).list();
}

/**
 * Closes a provider's circuit with a clean slate, whatever its state (an operator's override),
 * and answers what it was. A provider with no circuit is an error: most likely a typo.
 * Instances see the reset when their cached state expires (CircuitBreaker's `cacheTtlMs`).
 */
export async function resetCircuit(
  client: DynamoDBClient,
  tableName: string,
  provider: string,
  hooks: CircuitHooks = {},
): Promise<CircuitRecord> {
  const previous = await new CircuitStore(client, tableName).reset(provider);
  if (!previous) throw new UnknownCircuitError(provider, tableName);
  if (previous.state !== 'closed') {
    const closed: CircuitRecord = {
      provider,
      state: 'closed',
      failureCount: 0,
      windowStartedAt: 0,
      version: previous.version + 1,
    };
    reportStateChange(hooks, 'Circuit reset', previous.state, closed);
  }
  return previous;
}
