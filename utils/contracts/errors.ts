import { type FieldIssue, JunctionError } from '../http/errors';

/** One problem of a contract file: where (`integration.endpoints[0].method`) and what was expected. */
export interface ContractIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * A contract file that cannot be used. Thrown at synth and at load, it names the file and the field:
 * `specs/contracts/payment.yaml: integration.error_handling.timeout: expected a duration such as 30s`.
 */
export class ContractFileError extends Error {
  readonly field: string;

  constructor(
    readonly file: string,
    readonly issues: readonly ContractIssue[],
  ) {
    super(issues.map((issue) => `${file}: ${issue.field}: ${issue.message}`).join('\n'));
    this.name = 'ContractFileError';
    this.field = issues[0]?.field ?? '(file)';
  }
}

/**
 * A provider answered with a body its contract does not allow: the connector cannot trust it, so the
 * call fails as an integration failure (502) naming the fields, never with the values.
 */
export class ContractViolationError extends JunctionError {
  constructor(
    readonly integration: string,
    readonly endpoint: string,
    readonly issues: readonly FieldIssue[],
  ) {
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
    super('INTEGRATION_FAILURE', `${integration} ${endpoint} answered outside its contract: ${summary}`, {
      details: issues,
    });
  }
}
