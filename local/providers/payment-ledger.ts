import { type RequestBody, randomAlphanumeric } from './http-kit';
import {
  currency,
  formatMoney,
  integer,
  metadata,
  oneOf,
  optionalString,
  paramsOf,
  requiredInteger,
  requiredString,
  StripeError,
} from './payment-params';

export interface Charge {
  readonly id: string;
  readonly object: 'charge';
  readonly amount: number;
  readonly amount_captured: number;
  amount_refunded: number;
  readonly captured: boolean;
  readonly created: number;
  readonly currency: string;
  readonly description: string | null;
  readonly failure_code: string | null;
  readonly failure_message: string | null;
  readonly livemode: false;
  readonly metadata: Record<string, string>;
  readonly paid: boolean;
  readonly payment_method: string;
  readonly receipt_email: string | null;
  refunded: boolean;
  readonly statement_descriptor: string | null;
  readonly status: 'succeeded' | 'failed';
}

export interface Refund {
  readonly id: string;
  readonly object: 'refund';
  readonly amount: number;
  readonly charge: string;
  readonly created: number;
  readonly currency: string;
  readonly metadata: Record<string, string>;
  readonly reason: string | null;
  readonly status: 'succeeded';
}

interface Decline {
  readonly code: string;
  readonly decline_code?: string;
  readonly message: string;
}

/** Stripe's documented test tokens that succeed. */
const SUCCEEDING_TOKENS = new Set([
  'tok_visa',
  'tok_visa_debit',
  'tok_mastercard',
  'tok_mastercard_debit',
  'tok_mastercard_prepaid',
  'tok_amex',
  'tok_discover',
  'tok_diners',
  'tok_jcb',
  'tok_unionpay',
  'tok_bypassPending',
]);

/** Stripe's documented test tokens that are declined, with the errors Stripe gives for them. */
const DECLINING_TOKENS: Readonly<Record<string, Decline>> = {
  tok_chargeDeclined: {
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
  },
  tok_chargeDeclinedInsufficientFunds: {
    code: 'card_declined',
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  tok_chargeDeclinedFraudulent: {
    code: 'card_declined',
    decline_code: 'fraudulent',
    message: 'Your card was declined.',
  },
  tok_chargeDeclinedLostCard: {
    code: 'card_declined',
    decline_code: 'lost_card',
    message: 'Your card was declined.',
  },
  tok_chargeDeclinedStolenCard: {
    code: 'card_declined',
    decline_code: 'stolen_card',
    message: 'Your card was declined.',
  },
  tok_chargeDeclinedIncorrectCvc: {
    code: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
  },
  tok_chargeDeclinedExpiredCard: { code: 'expired_card', message: 'Your card has expired.' },
  tok_chargeDeclinedProcessingError: {
    code: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
};

const CHARGE_PARAMS = new Set([
  'amount',
  'currency',
  'source',
  'description',
  'metadata',
  'receipt_email',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'transfer_group',
]);
const REFUND_PARAMS = new Set(['charge', 'amount', 'reason', 'metadata']);
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

const notFound = (kind: string, id: string, param: string) =>
  new StripeError(
    404,
    { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param },
    'execution',
  );

/** Charges and refunds, in memory. Replies carry copies, so a later refund never changes a stored reply. */
export class PaymentLedger {
  private readonly charges = new Map<string, Charge>();
  private readonly refunds = new Map<string, Refund>();

  constructor(private readonly now: () => number) {}

  /** Creates a charge; a declined card still leaves a failed charge behind, as in Stripe. */
  createCharge(body: RequestBody): Charge {
    const params = paramsOf(body, CHARGE_PARAMS);
    const amount = requiredInteger(params, 'amount');
    const code = currency(params);
    const source = requiredString(params, 'source', 'Must provide source or customer.');
    const fields = {
      description: optionalString(params, 'description') ?? null,
      metadata: metadata(params),
      receipt_email: optionalString(params, 'receipt_email') ?? null,
      statement_descriptor: optionalString(params, 'statement_descriptor', 22) ?? null,
    };
    optionalString(params, 'statement_descriptor_suffix', 22);
    optionalString(params, 'transfer_group');
    const decline = DECLINING_TOKENS[source];
    if (!decline && !SUCCEEDING_TOKENS.has(source)) {
      const kind = source.startsWith('tok_') ? 'token' : 'source';
      throw new StripeError(
        400,
        {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such ${kind}: '${source}'`,
          param: 'source',
        },
        'execution',
      );
    }
    const charge: Charge = {
      id: `ch_${randomAlphanumeric(24)}`,
      object: 'charge',
      amount,
      amount_captured: decline ? 0 : amount,
      amount_refunded: 0,
      captured: !decline,
      created: this.seconds(),
      currency: code,
      ...fields,
      failure_code: decline?.code ?? null,
      failure_message: decline?.message ?? null,
      livemode: false,
      paid: !decline,
      payment_method: `card_${randomAlphanumeric(24)}`,
      refunded: false,
      status: decline ? 'failed' : 'succeeded',
    };
    this.charges.set(charge.id, charge);
    if (decline)
      throw new StripeError(402, { type: 'card_error', ...decline, charge: charge.id }, 'execution');
    return structuredClone(charge);
  }

  getCharge(id: string): Charge {
    const charge = this.charges.get(id);
    if (!charge) throw notFound('charge', id, 'id');
    return structuredClone(charge);
  }

  /** Refunds what is left of a charge, or part of it; returns the refund and the charge as it now stands. */
  createRefund(body: RequestBody): { refund: Refund; charge: Charge } {
    const params = paramsOf(body, REFUND_PARAMS);
    const chargeId = requiredString(params, 'charge');
    const requested = integer(params, 'amount');
    const reason = oneOf(params, 'reason', REFUND_REASONS) ?? null;
    const refundMetadata = metadata(params);
    const charge = this.charges.get(chargeId);
    if (!charge) throw notFound('charge', chargeId, 'charge');
    const left = charge.amount_captured - charge.amount_refunded;
    if (charge.status !== 'succeeded') {
      throw refundError(`Charge ${chargeId} has failed and cannot be refunded.`, undefined, 'charge');
    }
    if (left <= 0)
      throw refundError(`Charge ${chargeId} has already been refunded.`, 'charge_already_refunded', 'charge');
    const amount = requested ?? left;
    if (amount > left) {
      const message = `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(left, charge.currency)})`;
      throw refundError(message, 'amount_too_large', 'amount');
    }
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount_captured;
    const refund: Refund = {
      id: `re_${randomAlphanumeric(24)}`,
      object: 'refund',
      amount,
      charge: chargeId,
      created: this.seconds(),
      currency: charge.currency,
      metadata: refundMetadata,
      reason,
      status: 'succeeded',
    };
    this.refunds.set(refund.id, refund);
    return { refund: structuredClone(refund), charge: structuredClone(charge) };
  }

  getRefund(id: string): Refund {
    const refund = this.refunds.get(id);
    if (!refund) throw notFound('refund', id, 'id');
    return structuredClone(refund);
  }

  clear(): void {
    this.charges.clear();
    this.refunds.clear();
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

function refundError(message: string, code: string | undefined, param: string): StripeError {
  return new StripeError(
    400,
    { type: 'invalid_request_error', message, ...(code === undefined ? {} : { code }), param },
    'execution',
  );
}
