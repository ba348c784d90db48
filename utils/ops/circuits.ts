import { type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { CircuitRecord } from '../resilience/circuit-state';
import { circuitStatus, resetCircuit, UnknownCircuitError } from '../resilience/circuit-status';
import { OpsError } from './errors';

// CircuitBreakerTable's construct id in the stack; CloudFormation puts it in the generated name.
const CIRCUIT_TABLE_NAME = /Circuits/;

/** The circuit breaker table: the one given, else the one table whose name says so. */
export async function circuitTable(dynamo: DynamoDBClient, given?: string): Promise<string> {
  if (given) return given;
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await dynamo.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  const matches = names.filter((name) => CIRCUIT_TABLE_NAME.test(name));
  if (matches.length !== 1) {
    throw new OpsError(
      matches.length === 0
        ? 'No circuit breaker table found: pass --table NAME.'
        : `Several circuit breaker tables (${matches.join(', ')}): pass --table NAME.`,
    );
  }
  return matches[0] as string;
}

export interface CircuitView {
  readonly provider: string;
  readonly state: string;
  readonly failures: number;
  readonly openedAt?: string;
}

export async function listCircuits(dynamo: DynamoDBClient, table: string): Promise<CircuitView[]> {
  return (await circuitStatus(dynamo, table)).map(view);
}

export async function resetProvider(
  dynamo: DynamoDBClient,
  table: string,
  provider: string,
): Promise<CircuitView> {
  try {
    return view(await resetCircuit(dynamo, table, provider));
  } catch (error) {
    if (error instanceof UnknownCircuitError) {
      throw new OpsError(`${error.message}: its circuit is closed already, or the name is wrong.`);
    }
    throw error;
  }
}

function view(record: CircuitRecord): CircuitView {
  return {
    provider: record.provider,
    state: record.state,
    failures: record.failureCount,
    ...(record.openedAt === undefined ? {} : { openedAt: new Date(record.openedAt).toISOString() }),
  };
}
