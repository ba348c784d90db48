import { CONNECTOR_CREDENTIALS_TAG } from '../lib/orchestration/order-saga';
import {
  ANALYTICS_CONTRACT,
  CRM_CONTRACT,
  EMAIL_CONTRACT,
  PAYMENT_CONTRACT,
} from '../utils/contracts/bundled';
import type { IntegrationContract } from '../utils/contracts/contract';
import { CIRCUIT_DEFAULTS } from '../utils/resilience/circuit-from-environment';
import type { ProviderName, SandboxProvidersOptions } from './providers';
import type { SecretsManagerService } from './services/secrets-manager-service';
import type { SecretSpec } from './template/topology-secrets';
import type { FunctionSpec } from './template/topology-types';

// The tag, valued with a contract id (`payment`), of the secret holding a connector's credentials;
// the stack sets it, so it is defined there.
export { CONNECTOR_CREDENTIALS_TAG };

/** The contracts a sandbox stands in for: each contract's id is its sandbox's name. */
export const CONNECTOR_CONTRACTS: readonly IntegrationContract[] = [
  PAYMENT_CONTRACT,
  EMAIL_CONTRACT,
  CRM_CONTRACT,
  ANALYTICS_CONTRACT,
];

/** GA4 only checks that a measurement id is there; any stream id of the right form will do. */
const LOCAL_MEASUREMENT_ID = 'G-JUNCTION01';

/** Where each contract's `credentials` hold the key the sandbox checks, and what else they need. */
const CREDENTIALS_SHAPE: Readonly<
  Record<ProviderName, { readonly keyField: string; readonly rest?: Readonly<Record<string, string>> }>
> = {
  payment: { keyField: 'api_key' },
  email: { keyField: 'api_key' },
  crm: { keyField: 'access_token' },
  analytics: { keyField: 'api_secret', rest: { measurement_id: LOCAL_MEASUREMENT_ID } },
};

const isProvider = (id: string | undefined): id is ProviderName =>
  id !== undefined && Object.hasOwn(CREDENTIALS_SHAPE, id);

/**
 * The template's secrets, with each connector's credentials secret (tagged with its contract id)
 * holding the sandbox's key instead of a generated value, so the connector reaches the sandbox as it
 * would the provider. A tag naming a contract without a sandbox leaves the secret as it is.
 */
export function seedConnectorSecrets(
  secrets: readonly SecretSpec[],
  credentials: Readonly<Record<ProviderName, string>>,
): SecretSpec[] {
  return secrets.map((spec) => {
    const id = spec.tags[CONNECTOR_CREDENTIALS_TAG];
    if (!isProvider(id)) return spec;
    const { generate: _generated, ...rest } = spec;
    const { keyField, rest: others } = CREDENTIALS_SHAPE[id];
    return { ...rest, secretString: JSON.stringify({ [keyField]: credentials[id], ...others }) };
  });
}

/**
 * The functions, with every connector base URL variable a contract names (`PAYMENT_BASE_URL`)
 * pointing at that contract's sandbox instead of the provider. Other functions are returned as given.
 */
export function withSandboxBaseUrls(
  functions: readonly FunctionSpec[],
  sandboxes: Readonly<Record<ProviderName, { readonly url: string }>>,
): FunctionSpec[] {
  return functions.map((spec) => {
    const overrides = CONNECTOR_CONTRACTS.filter(
      (contract) => isProvider(contract.id) && contract.baseUrlEnv in spec.environment,
    ).map((contract) => [contract.baseUrlEnv, sandboxes[contract.id as ProviderName].url]);
    if (overrides.length === 0) return spec;
    return { ...spec, environment: { ...spec.environment, ...Object.fromEntries(overrides) } };
  });
}

/** A breaker's times never scale below this: zero is a setting it refuses. */
const MIN_CIRCUIT_SECONDS = 0.001;

/**
 * The functions, with the window and open time of every circuit breaker (a function with
 * `CIRCUIT_TABLE_NAME`) multiplied by the time scale, as Step Functions retries and SQS timeouts
 * are: a saga retrying for minutes at scale 0.01 would otherwise give up before a 30 s circuit
 * half-opens. The failure threshold is a count and stays.
 */
export function withScaledCircuitTimes(
  functions: readonly FunctionSpec[],
  timeScale: number,
): FunctionSpec[] {
  if (timeScale === 1) return [...functions];
  const scaled = (value: string | undefined, fallback: number) =>
    String(Math.max(MIN_CIRCUIT_SECONDS, Number(value ?? fallback) * timeScale));
  return functions.map((spec) => {
    const env = spec.environment;
    if (!('CIRCUIT_TABLE_NAME' in env)) return spec;
    return {
      ...spec,
      environment: {
        ...env,
        CIRCUIT_WINDOW_SECONDS: scaled(env.CIRCUIT_WINDOW_SECONDS, CIRCUIT_DEFAULTS.windowSeconds),
        CIRCUIT_OPEN_SECONDS: scaled(env.CIRCUIT_OPEN_SECONDS, CIRCUIT_DEFAULTS.openSeconds),
      },
    };
  });
}

type SandboxKeys = NonNullable<SandboxProvidersOptions['keys']>;

/**
 * The keys each sandbox with a tagged secret accepts: the key in the secret's AWSCURRENT and
 * AWSPREVIOUS values, read at each request. A rotation (PutSecretValue) reaches the sandbox at once,
 * and functions still holding the previous key keep working until the next one, as with a provider
 * that lets two keys overlap.
 */
export function sandboxKeys(secrets: readonly SecretSpec[], store: SecretsManagerService): SandboxKeys {
  const keys: { -readonly [name in ProviderName]?: () => readonly string[] } = {};
  for (const spec of secrets) {
    const id = spec.tags[CONNECTOR_CREDENTIALS_TAG];
    if (!isProvider(id)) continue;
    const others = keys[id] ?? (() => []);
    const { keyField } = CREDENTIALS_SHAPE[id];
    keys[id] = () => [
      ...['AWSCURRENT', 'AWSPREVIOUS'].flatMap((stage) => keyIn(store.valueOf(spec.arn, stage), keyField)),
      ...others(),
    ];
  }
  return keys;
}

function keyIn(text: string | undefined, field: string): string[] {
  try {
    const value = JSON.parse(text ?? 'null') as Record<string, unknown> | null;
    const key = value?.[field];
    return typeof key === 'string' && key !== '' ? [key] : [];
  } catch {
    return [];
  }
}
