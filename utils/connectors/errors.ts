import { JunctionError } from '../http/errors';

/** The card was declined (Stripe's card_error, 402). Not retryable: the same card will be declined again. */
export class PaymentDeclinedError extends JunctionError {
  constructor(
    /** Stripe's decline_code when it gives one (insufficient_funds, fraudulent…), else its code (expired_card…). */
    readonly reason: string,
    readonly declineMessage: string,
    /** The failed charge the provider keeps, for reconciliation. */
    readonly chargeId?: string,
  ) {
    super('PAYMENT_DECLINED', `The payment was declined (${reason})`, { extra: { decline_reason: reason } });
  }
}
