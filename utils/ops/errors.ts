/** An error the ops CLI explains to its user as it is: no stack trace, exit code 1. */
export class OpsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpsError';
  }
}

const causes = (error: unknown): unknown[] => {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
};

const nameOf = (error: unknown) => (error instanceof Error ? error.name : '');
const codeOf = (error: unknown) => String((error as { code?: unknown })?.code ?? '');

/**
 * Turns what the SDK throws into a sentence that says what to do: no credentials, an endpoint
 * that does not answer, a queue or table that does not exist. Anything else keeps its message.
 */
export function explain(error: unknown, endpoint: string | undefined): string {
  if (error instanceof OpsError) return error.message;
  const chain = causes(error);
  if (chain.some((link) => nameOf(link) === 'CredentialsProviderError')) {
    return 'No AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or add --local to use the local cloud.';
  }
  if (chain.some((link) => ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'].includes(codeOf(link)))) {
    return endpoint
      ? `Cannot reach ${endpoint}: is the local cloud running (npm start)?`
      : 'Cannot reach AWS: check the network and AWS_REGION.';
  }
  if (
    chain.some((link) =>
      ['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue'].includes(nameOf(link)),
    )
  ) {
    return 'That queue does not exist: run `npm run ops -- dlq list` for the names.';
  }
  if (chain.some((link) => nameOf(link) === 'ResourceNotFoundException')) {
    return `Not found: ${error instanceof Error ? error.message : String(error)}`;
  }
  return error instanceof Error ? error.message : String(error);
}
