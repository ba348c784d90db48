import type { ProviderReply } from './http-kit';

/** Stripe keeps keys for at least 24 hours; a key reused after that starts a new request. */
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface StoredResult {
  readonly endpoint: string;
  readonly fingerprint: string;
  readonly reply: ProviderReply;
  readonly storedAt: number;
}

export type IdempotencyLookup =
  | { readonly kind: 'new' }
  | { readonly kind: 'replay'; readonly reply: ProviderReply }
  | { readonly kind: 'mismatch'; readonly message: string };

/**
 * Stripe-style idempotency: the first result for a key (status and body) is kept and replayed for a
 * retry with the same endpoint and parameters; a reuse with other ones is an error.
 */
export class IdempotencyStore {
  private readonly results = new Map<string, StoredResult>();

  constructor(private readonly now: () => number) {}

  lookup(key: string, endpoint: string, fingerprint: string): IdempotencyLookup {
    this.prune();
    const stored = this.results.get(key);
    if (!stored) return { kind: 'new' };
    if (stored.endpoint !== endpoint) {
      return {
        kind: 'mismatch',
        message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      };
    }
    if (stored.fingerprint !== fingerprint) {
      return {
        kind: 'mismatch',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      };
    }
    return { kind: 'replay', reply: stored.reply };
  }

  save(key: string, endpoint: string, fingerprint: string, reply: ProviderReply): void {
    this.results.set(key, { endpoint, fingerprint, reply, storedAt: this.now() });
  }

  clear(): void {
    this.results.clear();
  }

  private prune(): void {
    const oldest = this.now() - KEY_LIFETIME_MS;
    for (const [key, stored] of this.results) {
      if (stored.storedAt <= oldest) this.results.delete(key);
    }
  }
}
