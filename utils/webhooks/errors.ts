import type { z } from 'zod';
import { type FieldIssue, JunctionError } from '../http/errors';
import { fieldPath } from '../validation/issues';

/** No webhook provider of that name: the path names a provider Junction does not receive from. */
export class UnknownProviderError extends JunctionError {
  constructor(provider: string, known: readonly string[]) {
    super('UNKNOWN_PROVIDER', `Unknown webhook provider "${provider}" (known: ${known.join(', ')})`);
  }
}

/** A signed body that is not what the provider sends: not JSON, or not the provider's event shape. */
export class InvalidWebhookBodyError extends JunctionError {
  constructor(message: string, details?: readonly FieldIssue[]) {
    super('INVALID_BODY', message, details ? { details } : {});
  }

  /** From failed zod parses: every failing field, by path. */
  static fromIssues(subject: string, issues: readonly z.core.$ZodIssue[]): InvalidWebhookBodyError {
    const details = issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message }));
    const summary = details.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    return new InvalidWebhookBodyError(`Invalid ${subject} webhook: ${summary}`, details);
  }
}
