import { PAYMENT_CONTRACT } from '../contracts/bundled';
import type { IntegrationContract } from '../contracts/contract';
import { ProviderError } from '../http/client-errors';
import { type ConnectorOptions, ContractClient } from './contract-client';
import { connectorOptionsFromEnvironment } from './environment';
import { PaymentDeclinedError } from './errors';

export { PaymentDeclinedError } from './errors';

export interface PaymentCredentials {
  readonly api_key: string;
}

export interface ChargeRequest {
  /** In minor units (cents). */
  readonly amount: number;
  /** ISO 4217; sent lower-case, as Stripe keeps it. */
  readonly currency: string;
  /** A card token such as tok_visa. */
  readonly source: string;
  /** Stable for the business operation (`<order id>:charge`): a retried charge is the same charge. */
  readonly idempotencyKey: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly receiptEmail?: string;
  readonly correlationId?: string;
  /** Ends the call, retries included, when aborted (a caller's deadline). */
  readonly signal?: AbortSignal;
}

export interface Charge {
  readonly id: string;
  readonly status: 'succeeded' | 'pending' | 'failed';
  readonly amount: number;
  readonly amountRefunded: number;
  readonly currency: string;
  readonly paid: boolean;
  readonly refunded: boolean;
  readonly metadata: Readonly<Record<string, string>>;
  /** How many attempts the call took. */
  readonly attempts: number;
}

export interface RefundRequest {
  readonly chargeId: string;
  /** Minor units; the rest of the charge when absent. */
  readonly amount?: number;
  readonly reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer';
  readonly idempotencyKey: string;
  readonly correlationId?: string;
}

export interface Refund {
  readonly id: string;
  readonly chargeId: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: string;
  readonly attempts: number;
}

interface ChargeBody {
  readonly id: string;
  readonly status: Charge['status'];
  readonly amount: number;
  readonly amount_refunded: number;
  readonly currency: string;
  readonly paid: boolean;
  readonly refunded: boolean;
  readonly metadata: Record<string, string>;
  readonly failure_code: string | null;
}

/** Card charges and refunds with a Stripe-like provider, as specs/contracts/payment.yaml describes it. */
export class PaymentConnector {
  private readonly client: ContractClient;

  constructor(
    options: ConnectorOptions<PaymentCredentials>,
    contract: IntegrationContract = PAYMENT_CONTRACT,
  ) {
    this.client = new ContractClient(contract, options);
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): PaymentConnector {
    return new PaymentConnector(connectorOptionsFromEnvironment(PAYMENT_CONTRACT, env));
  }

  async charge(request: ChargeRequest): Promise<Charge> {
    const body = {
      amount: request.amount,
      currency: request.currency.toLowerCase(),
      source: request.source,
      ...(request.metadata ? { metadata: request.metadata } : {}),
      ...(request.description ? { description: request.description } : {}),
      ...(request.receiptEmail ? { receipt_email: request.receiptEmail } : {}),
    };
    const response = await this.client
      .call('create_charge', {
        body,
        idempotencyKey: request.idempotencyKey,
        correlationId: request.correlationId,
        ...(request.signal ? { signal: request.signal } : {}),
      })
      .catch(declined);
    const charge = response.body as ChargeBody;
    // Stripe answers a decline with 402; a failed charge in a 200 is a decline all the same.
    if (charge.status === 'failed') {
      throw new PaymentDeclinedError(charge.failure_code ?? 'failed', 'The charge failed.', charge.id);
    }
    return chargeOf(charge, response.attempts);
  }

  async refund(request: RefundRequest): Promise<Refund> {
    const body = {
      charge: request.chargeId,
      ...(request.amount === undefined ? {} : { amount: request.amount }),
      ...(request.reason ? { reason: request.reason } : {}),
    };
    const response = await this.client.call('create_refund', {
      body,
      idempotencyKey: request.idempotencyKey,
      correlationId: request.correlationId,
    });
    const refund = response.body as {
      id: string;
      charge: string;
      amount: number;
      currency: string;
      status: string;
    };
    return {
      id: refund.id,
      chargeId: refund.charge,
      amount: refund.amount,
      currency: refund.currency,
      status: refund.status,
      attempts: response.attempts,
    };
  }

  async getCharge(chargeId: string, correlationId?: string): Promise<Charge> {
    const response = await this.client.call('get_charge', { pathParams: { id: chargeId }, correlationId });
    return chargeOf(response.body as ChargeBody, response.attempts);
  }
}

function chargeOf(body: ChargeBody, attempts: number): Charge {
  return {
    id: body.id,
    status: body.status,
    amount: body.amount,
    amountRefunded: body.amount_refunded,
    currency: body.currency,
    paid: body.paid,
    refunded: body.refunded,
    metadata: body.metadata,
    attempts,
  };
}

/** Stripe's card_error (402) is a decline: Stripe's decline_code when it has one, else its code. */
function declined(error: unknown): never {
  if (error instanceof ProviderError && error.providerStatus === 402) {
    const detail = (error.body as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    if (detail.type === 'card_error') {
      const reason = String(detail.decline_code ?? detail.code ?? 'card_declined');
      const chargeId = typeof detail.charge === 'string' ? detail.charge : undefined;
      throw new PaymentDeclinedError(reason, String(detail.message ?? 'The card was declined.'), chargeId);
    }
  }
  throw error;
}
