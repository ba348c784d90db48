import invoiceSpec from '../../../specs/mappings/order.to.invoice.json';
import type { EmailMessage, SentEmail } from '../../connectors/email';
import type { Charge, ChargeRequest, Refund, RefundRequest } from '../../connectors/payment';
import { parseEventDetail, requireEventType } from '../../events/catalog';
import { createEnvelope, type Envelope, nameBasedUuid } from '../../events/envelope';
import type { OrderCreatedData } from '../../events/schemas/order-created';
import { compileMapping } from '../../mapping/compile';
import { parseFormat } from '../../mapping/formats';
import { recordSagaOutcome } from '../../observability/saga-metrics';
import { ORDERS_SOURCE } from '../order-created';

/**
 * The steps of the order saga (validate → charge → invoice → confirm, with a refund to undo the
 * charge), as plain functions over what the Saga construct passes each Lambda. Every call to a
 * provider carries a key derived from the order, so a step retried by Step Functions, or the whole
 * execution run twice, never charges, refunds or mails twice.
 */

/** What the Saga construct gives a step: the execution input and the results of earlier steps. */
export interface StepPayload {
  readonly input: unknown;
  readonly steps: Readonly<Record<string, unknown>>;
  readonly saga: { readonly executionName: string; readonly stepId?: string };
  readonly failures?: Readonly<Record<string, StepError>>;
  readonly error?: StepError;
  readonly failure?: { readonly step: string; readonly reason: string };
}

/** A Step Functions error: its name, and the cause Lambda reports (JSON with `errorMessage`). */
export interface StepError {
  readonly Error: string;
  readonly Cause?: string;
}

/** An order the saga refuses to process (no payment source, inconsistent amounts): never retried. */
export class OrderRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrderRejectedError';
  }
}

export interface ValidatedOrder {
  readonly order_id: string;
  readonly amount: number;
  readonly currency: string;
  readonly payment_source: string;
  readonly customer: { readonly id: string; readonly email: string; readonly locale: string };
  readonly correlation_id: string;
}

export interface ChargedOrder {
  readonly charge_id: string;
  readonly amount: number;
  readonly currency: string;
}

const DEFAULT_LOCALE = 'en-US';

/** The saga dimension of the outcome metric. */
const ORDER_SAGA = 'order';

function orderEvent(payload: StepPayload): Envelope<OrderCreatedData> {
  return requireEventType(parseEventDetail(payload.input), 'order.created');
}

function stepResult<T>(payload: StepPayload, stepId: string): T {
  const result = payload.steps[stepId];
  if (result === undefined) throw new Error(`The saga has no result of step ${stepId}`);
  return result as T;
}

/** Checks the order the saga was started with, and keeps what the later steps need. */
export function validateOrder(payload: StepPayload): ValidatedOrder {
  const event = orderEvent(payload);
  const order = event.data;
  const lines = order.items.reduce((sum, item) => sum + item.line_amount, 0);
  if (lines !== order.total_amount) {
    throw new OrderRejectedError(
      `Order ${order.order_id}: total_amount ${order.total_amount} is not the sum of the lines, ${lines}`,
    );
  }
  if (!order.payment) throw new OrderRejectedError(`Order ${order.order_id} names no payment source`);
  return {
    order_id: order.order_id,
    amount: order.total_amount,
    currency: order.currency,
    payment_source: order.payment.source,
    customer: {
      id: order.customer.id,
      email: order.customer.email,
      locale: order.customer.locale ?? DEFAULT_LOCALE,
    },
    correlation_id: event.metadata.correlation_id,
  };
}

export async function chargeOrder(
  payload: StepPayload,
  payment: { charge(request: ChargeRequest): Promise<Pick<Charge, 'id' | 'amount' | 'currency'>> },
): Promise<ChargedOrder> {
  const order = stepResult<ValidatedOrder>(payload, 'validate');
  const charge = await payment.charge({
    amount: order.amount,
    currency: order.currency,
    source: order.payment_source,
    idempotencyKey: `${order.order_id}:charge`,
    metadata: { order_id: order.order_id, correlation_id: order.correlation_id },
    description: `Junction order ${order.order_id}`,
    correlationId: order.correlation_id,
  });
  return { charge_id: charge.id, amount: charge.amount, currency: charge.currency.toUpperCase() };
}

/** Compensates the charge: refunds all of it. */
export async function refundOrder(
  payload: StepPayload,
  payment: { refund(request: RefundRequest): Promise<Pick<Refund, 'id'>> },
): Promise<{ refund_id: string }> {
  const order = stepResult<ValidatedOrder>(payload, 'validate');
  const charge = stepResult<ChargedOrder>(payload, 'charge');
  const refund = await payment.refund({
    chargeId: charge.charge_id,
    idempotencyKey: `${order.order_id}:refund`,
    correlationId: order.correlation_id,
  });
  return { refund_id: refund.id };
}

const orderToInvoice = compileMapping(invoiceSpec, { file: 'specs/mappings/order.to.invoice.json' });

/** Keeps invoices; saving the same invoice twice keeps one. */
export interface InvoiceStore {
  save(invoice: Record<string, unknown>): Promise<void>;
}

export async function createInvoice(
  payload: StepPayload,
  store: InvoiceStore,
): Promise<{ invoice_number: string }> {
  const charge = stepResult<ChargedOrder>(payload, 'charge');
  const mapped = orderToInvoice.map({ order: orderEvent(payload).data }) as {
    invoice: Record<string, unknown> & { invoice_number: string };
  };
  const invoice = { ...mapped.invoice, payment_reference: charge.charge_id };
  await store.save(invoice);
  return { invoice_number: invoice.invoice_number };
}

const twoDecimals = parseFormat('decimal:2').apply;
/** Major units with two decimals from integer minor units (6100 → "61.00"), as the mappings write them. */
const majorUnits = (minor: number) => twoDecimals(minor / 100) as string;

export async function sendConfirmation(
  payload: StepPayload,
  email: { send(message: EmailMessage): Promise<SentEmail> },
  from: string,
): Promise<{ message_id: string | null }> {
  const order = stepResult<ValidatedOrder>(payload, 'validate');
  const invoice = stepResult<{ invoice_number: string }>(payload, 'invoice');
  const sent = await email.send({
    to: order.customer.email,
    from,
    subject: `Your order ${order.order_id}`,
    text: `Thank you for your order ${order.order_id}: ${majorUnits(order.amount)} ${order.currency}, invoice ${invoice.invoice_number}.`,
    templateData: {
      order_id: order.order_id,
      invoice_number: invoice.invoice_number,
      amount: majorUnits(order.amount),
      currency: order.currency,
      locale: order.customer.locale,
    },
    categories: ['order_confirmation'],
    idempotencyKey: `${order.order_id}:confirmation`,
    correlationId: order.correlation_id,
  });
  return { message_id: sent.messageId ?? null };
}

export interface OutcomePublisher {
  publish(envelope: Envelope): Promise<void>;
}

/** The reason in a Step Functions error: Lambda's errorMessage when the cause is its JSON. */
function messageOf(error: StepError | undefined): string {
  if (!error?.Cause) return '';
  try {
    const cause = JSON.parse(error.Cause) as { errorMessage?: unknown };
    return typeof cause.errorMessage === 'string' ? cause.errorMessage.slice(0, 1000) : '';
  } catch {
    return error.Cause.slice(0, 1000);
  }
}

function outcome<T>(payload: StepPayload, type: string, data: T, now: () => Date): Envelope<T> {
  const order = orderEvent(payload);
  return createEnvelope({
    // Derived from the execution, so a handler retried by Step Functions puts the same event.
    id: `evt-${nameBasedUuid(`event:${type}:${payload.saga.executionName}`)}`,
    type,
    version: '1.0',
    source: ORDERS_SOURCE,
    data,
    metadata: { correlation_id: order.metadata.correlation_id, causation_id: order.id },
    now,
  });
}

/** The success handler: puts order.completed, and notification.failed for a confirmation not sent. */
export async function completeOrder(
  payload: StepPayload,
  publisher: OutcomePublisher,
  now: () => Date = () => new Date(),
): Promise<void> {
  const order = stepResult<ValidatedOrder>(payload, 'validate');
  const charge = stepResult<ChargedOrder>(payload, 'charge');
  const invoice = stepResult<{ invoice_number: string }>(payload, 'invoice');
  await publisher.publish(
    outcome(
      payload,
      'order.completed',
      {
        order_id: order.order_id,
        payment: { charge_id: charge.charge_id, amount: charge.amount, currency: charge.currency },
        invoice_number: invoice.invoice_number,
        completed_at: now().toISOString(),
      },
      now,
    ),
  );
  recordSagaOutcome(ORDER_SAGA, 'completed');
  const unsent = payload.failures?.confirm;
  if (unsent) {
    await publisher.publish(
      outcome(
        payload,
        'notification.failed',
        {
          order_id: order.order_id,
          channel: 'email',
          template: 'order_confirmation',
          reason: { code: unsent.Error, message: messageOf(unsent), step: 'confirm' },
          failed_at: now().toISOString(),
        },
        now,
      ),
    );
  }
}

/** The failure handler, after the compensations: puts order.failed with the reason. */
export async function failOrder(
  payload: StepPayload,
  publisher: OutcomePublisher,
  now: () => Date = () => new Date(),
): Promise<void> {
  const order = orderEvent(payload).data;
  const step = payload.failure?.step ?? 'unknown';
  // The failure handler runs only once every compensation succeeded, so a charge was refunded.
  const refunded = payload.steps.charge !== undefined;
  await publisher.publish(
    outcome(
      payload,
      'order.failed',
      {
        order_id: order.order_id,
        reason: { code: payload.error?.Error ?? 'Unknown', message: messageOf(payload.error), step },
        refunded,
        failed_at: now().toISOString(),
      },
      now,
    ),
  );
  recordSagaOutcome(ORDER_SAGA, refunded ? 'compensated' : 'failed');
}
