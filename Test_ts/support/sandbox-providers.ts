import { type SandboxProvider, type SandboxProviders, startSandboxProviders } from '../../local/providers';
import payment from '../../specs/contracts/payment.json';
import { contractFromDocument, type IntegrationContract } from '../../utils/contracts/contract';

export const SANDBOX_CREDENTIALS = {
  payment: 'sk_test_junction_sandbox',
  email: 'SG.junction.sandbox',
  crm: '00Djunction!sandbox',
  analytics: 'ga-junction-sandbox',
} as const;

/**
 * The sandbox providers on free loopback ports, with a scripted fault draw: each value given to `draws`
 * is used, in order, where a fault rate between 0 and 1 needs a random number (below the rate: the
 * fault happens); once they are used up, no fault happens.
 */
export async function startSandbox(): Promise<{
  providers: SandboxProviders;
  draws: (...values: number[]) => void;
}> {
  const queue: number[] = [];
  const providers = await startSandboxProviders({
    credentials: SANDBOX_CREDENTIALS,
    random: () => queue.shift() ?? 0.999,
  });
  return { providers, draws: (...values) => queue.push(...values) };
}

/** The calls a sandbox received for one method and path. */
export const callsTo = (provider: SandboxProvider, method: string, path: string) =>
  provider.calls().filter((call) => call.method === method && call.path.split('?')[0] === path);

/** The payment contract with a shorter timeout, so timeouts cost milliseconds in tests. */
export function paymentContractWithTimeout(timeout: string): IntegrationContract {
  const document = structuredClone(payment);
  document.integration.error_handling.timeout = timeout;
  return contractFromDocument(document, 'specs/contracts/payment.yaml');
}
