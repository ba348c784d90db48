import type { z } from 'zod';
import type { IntegrationContract } from '../contracts/contract';
import { SecretCredentials } from '../security/credentials';
import type { ConnectorOptions } from './contract-client';

/**
 * What a connector's Lambda needs besides its contract, from its environment: the secret with its
 * credentials in `<ID>_SECRET_ID` (`PAYMENT_SECRET_ID` for payment.yaml), the base URL in the
 * variable the contract names. Read once at init; fails fast when missing.
 */
export function connectorOptionsFromEnvironment<C extends object>(
  contract: IntegrationContract,
  env: NodeJS.ProcessEnv = process.env,
): ConnectorOptions<C> {
  const secretVariable = `${contract.id.toUpperCase()}_SECRET_ID`;
  const secretId = env[secretVariable];
  if (!secretId)
    throw new Error(`${secretVariable} must name the secret with the ${contract.name} credentials`);
  if (!contract.credentials) throw new Error(`The ${contract.name} contract declares no credentials`);
  const maxAge = Number(env.CONNECTOR_SECRET_MAX_AGE_SECONDS ?? 300);
  return {
    env,
    credentials: new SecretCredentials<C>({
      secretId,
      // The contract's credentials notation is what C describes.
      schema: contract.credentials.schema as z.ZodType<C>,
      maxAgeSeconds: maxAge,
    }),
  };
}
