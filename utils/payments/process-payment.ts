import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { type Charge, type ChargeRequest, PaymentDeclinedError } from '../connectors/payment';
import { ProviderTimeoutError, ProviderUnavailableError } from '../http/client-errors';
import type { RequestCorrelation } from '../http/correlation';
import { CircuitOpenError } from '../resilience/circuit-breaker';
import {
  PaymentProviderTimeoutError,
  PaymentProviderUnavailableError,
  TransactionInProgressError,
  TransactionReusedError,
} from './errors';
import type { PaymentRequest } from './payment-request';

/** What the processor needs of the payment connector. */
export interface PaymentCharger {
  charge(request: ChargeRequest): Promise<Charge>;
}

export const DEFAULT_BUDGET_MS = 5000;
export const DEFAULT_RESERVE_MS = 500;

export interface PaymentProcessorDependencies {
  /** The payment connector, with the circuit breaker of the `payment` provider. */
  readonly connector: PaymentCharger;
  readonly persistenceStore: BasePersistenceLayer;
  /** The time from the call of `process` to the answer. @default 5000 */
  readonly budgetMs?: number;
  /** Kept back from the budget for what follows the provider's answer (saving it, answering). @default 500 */
  readonly reserveMs?: number;
  /** How long a transaction id is remembered. @default 24 hours, as long as Stripe keeps its keys */
  readonly keyLifetimeSeconds?: number;
}

export interface ProcessPaymentRequest {
  readonly payment: PaymentRequest;
  readonly correlation: RequestCorrelation;
}

export interface ProcessedPayment {
  readonly transaction_id: string;
  /** completed: the card was charged; pending: the provider settles it later (a webhook follows). */
  readonly status: 'completed' | 'pending';
  readonly charge_id: string;
  /** Minor units, as charged. */
  readonly amount: number;
  /** ISO 4217, as the client sent it. */
  readonly currency: string;
  /** The answer was stored by an earlier request with this transaction id; nothing was charged now. */
  readonly replayed: boolean;
}

/** What is stored per transaction: the answer, a decline included (the provider would replay it too). */
type Outcome =
  | Omit<ProcessedPayment, 'replayed'>
  | {
      readonly status: 'declined';
      readonly transaction_id: string;
      readonly decline_reason: string;
      readonly charge_id?: string;
    };

/** What the idempotent step receives; only `scoped_key` and `payment` are hashed. */
interface IdempotentPayload {
  readonly scoped_key: string;
  readonly payment: PaymentRequest;
  readonly correlation: RequestCorrelation;
  /** Epoch ms by which the provider must have answered, and the time it was given. */
  readonly deadline: { readonly at: number; readonly budgetMs: number };
  readonly run: { executed: boolean };
}

/**
 * The provider's Idempotency-Key for a transaction: the same on every retry of the connector and on
 * every repeat of the request, so that the card is charged once. Scoped by client, as the
 * transaction ids are.
 */
export function outboundIdempotencyKey(clientId: string, transactionId: string): string {
  return `payment:${clientId}:${transactionId}`;
}

function requireWholeMs(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of milliseconds above 0, got ${value}`);
  }
}

/**
 * Charges a card once per client and transaction id, within a time budget: the same transaction id
 * and body answer the stored result without calling the provider; another body is refused. The
 * provider call is cancelled at the budget's end (or sooner, when Lambda has less time left), so the
 * client always gets an answer in time.
 */
export class PaymentProcessor {
  private readonly config: IdempotencyConfig;
  private readonly chargeOnce: (payload: IdempotentPayload) => Promise<Outcome>;
  private readonly budgetMs: number;
  private readonly reserveMs: number;

  constructor(private readonly deps: PaymentProcessorDependencies) {
    this.budgetMs = deps.budgetMs ?? DEFAULT_BUDGET_MS;
    this.reserveMs = deps.reserveMs ?? DEFAULT_RESERVE_MS;
    requireWholeMs('budgetMs', this.budgetMs);
    requireWholeMs('reserveMs', this.reserveMs);
    if (this.budgetMs <= this.reserveMs) {
      throw new Error(`budgetMs (${this.budgetMs}) must be larger than reserveMs (${this.reserveMs})`);
    }
    this.config = new IdempotencyConfig({
      eventKeyJmesPath: 'scoped_key',
      payloadValidationJmesPath: 'payment',
      expiresAfterSeconds: deps.keyLifetimeSeconds ?? 24 * 60 * 60,
      throwOnNoIdempotencyKey: true,
    });
    this.chargeOnce = makeIdempotent((payload: IdempotentPayload) => this.charge(payload), {
      persistenceStore: deps.persistenceStore,
      config: this.config,
    });
  }

  async process(request: ProcessPaymentRequest, context: Context): Promise<ProcessedPayment> {
    const startedAt = Date.now();
    const budgetMs = Math.min(this.budgetMs, context.getRemainingTimeInMillis()) - this.reserveMs;
    this.config.registerLambdaContext(context);
    const { payment, correlation } = request;
    const run = { executed: false };
    let outcome: Outcome;
    try {
      outcome = await this.chargeOnce({
        scoped_key: `${correlation.clientId}#${payment.transaction_id}`,
        payment,
        correlation,
        deadline: { at: startedAt + budgetMs, budgetMs },
        run,
      });
    } catch (error) {
      if (error instanceof IdempotencyValidationError)
        throw new TransactionReusedError(payment.transaction_id);
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new TransactionInProgressError(payment.transaction_id);
      }
      throw error;
    }
    if (outcome.status === 'declined') {
      throw new PaymentDeclinedError(outcome.decline_reason, 'The card was declined.', outcome.charge_id);
    }
    return { ...outcome, replayed: !run.executed };
  }

  private async charge(payload: IdempotentPayload): Promise<Outcome> {
    payload.run.executed = true;
    const { payment, correlation, deadline } = payload;
    const remainingMs = deadline.at - Date.now();
    if (remainingMs <= 0) throw new PaymentProviderTimeoutError(Math.max(0, deadline.budgetMs));
    const signal = AbortSignal.timeout(remainingMs);
    try {
      const charge = await this.deps.connector.charge({
        amount: payment.amount,
        currency: payment.currency,
        source: payment.source,
        idempotencyKey: outboundIdempotencyKey(correlation.clientId, payment.transaction_id),
        metadata: { transaction_id: payment.transaction_id, client_id: correlation.clientId },
        correlationId: correlation.correlationId,
        signal,
      });
      return {
        transaction_id: payment.transaction_id,
        status: charge.status === 'succeeded' ? 'completed' : 'pending',
        charge_id: charge.id,
        amount: charge.amount,
        currency: payment.currency,
      };
    } catch (error) {
      if (error instanceof PaymentDeclinedError) {
        return {
          status: 'declined',
          transaction_id: payment.transaction_id,
          decline_reason: error.reason,
          ...(error.chargeId ? { charge_id: error.chargeId } : {}),
        };
      }
      throw paymentFailure(error, signal, deadline.budgetMs);
    }
  }
}

/** The connector's failures as the payment API answers them. */
function paymentFailure(error: unknown, deadline: AbortSignal, budgetMs: number): unknown {
  if (deadline.aborted) return new PaymentProviderTimeoutError(budgetMs, { cause: error });
  if (error instanceof CircuitOpenError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return new PaymentProviderUnavailableError(
      `The payment provider is unavailable (circuit open); retry in ${seconds} s`,
      error.retryAfterMs,
      { cause: error },
    );
  }
  if (error instanceof ProviderTimeoutError) {
    return new PaymentProviderTimeoutError(budgetMs, { cause: error, attempts: error.attempts });
  }
  if (error instanceof ProviderUnavailableError) {
    return new PaymentProviderUnavailableError(
      `The payment provider failed ${error.attempts} attempts; retry later with the same transaction_id`,
      error.retryAfterMs,
      { cause: error },
    );
  }
  return error;
}
