import type { EmailMessage } from '../../../utils/connectors/email';
import { PaymentDeclinedError } from '../../../utils/connectors/errors';
import type { Envelope } from '../../../utils/events/envelope';
import {
  chargeOrder,
  completeOrder,
  createInvoice,
  failOrder,
  OrderRejectedError,
  refundOrder,
  sendConfirmation,
  validateOrder,
} from '../../../utils/orders/saga/steps';
import { sampleJson } from '../../support/api-events';
import { captureEmf } from '../../support/emf';

const orderCreated = sampleJson<{ detail: Envelope<Record<string, unknown>> }>(
  'eventbridge/order-created.json',
).detail;
const saga = { executionName: orderCreated.id };
const validated = validateOrder({ input: orderCreated, steps: {}, saga: { ...saga, stepId: 'validate' } });
const charged = { charge_id: 'ch_1', amount: 6100, currency: 'EUR' };

function recordingPublisher() {
  const published: Envelope[] = [];
  return { published, publish: async (envelope: Envelope) => void published.push(envelope) };
}

describe('validateOrder', () => {
  it('reads the order.created event and keeps what the later steps need, upcast to the newest version', () => {
    expect(validated).toEqual({
      order_id: 'ord-5b2d9c1e-7a3f-8e4d-b6c2-1f0e9d8c7b6a',
      amount: 6100,
      currency: 'EUR',
      payment_source: 'tok_visa',
      customer: { id: 'cus-1001', email: 'ada@example.com', locale: 'en-GB' },
      correlation_id: orderCreated.metadata.correlation_id,
    });
  });

  it('rejects an order without a payment source, as a business error no retry can fix', () => {
    const { payment: _payment, ...data } = orderCreated.data;
    expect(() => validateOrder({ input: { ...orderCreated, data }, steps: {}, saga })).toThrow(
      OrderRejectedError,
    );
  });

  it('rejects an order whose total is not the sum of its lines', () => {
    const data = { ...orderCreated.data, total_amount: 1 };
    expect(() => validateOrder({ input: { ...orderCreated, data }, steps: {}, saga })).toThrow(
      /total_amount 1 is not the sum of the lines, 6100/,
    );
  });
});

describe('chargeOrder and refundOrder', () => {
  it('charges the order total with a key derived from the order, so a retried step is one charge', async () => {
    const requests: unknown[] = [];
    const payment = {
      charge: async (request: unknown) => {
        requests.push(request);
        return { id: 'ch_1', amount: 6100, currency: 'eur' };
      },
    };
    const result = await chargeOrder({ input: orderCreated, steps: { validate: validated }, saga }, payment);
    expect(result).toEqual(charged);
    expect(requests).toEqual([
      expect.objectContaining({
        amount: 6100,
        currency: 'EUR',
        source: 'tok_visa',
        idempotencyKey: `${validated.order_id}:charge`,
        metadata: { order_id: validated.order_id, correlation_id: validated.correlation_id },
      }),
    ]);
  });

  it('lets a decline through as PaymentDeclinedError, which the saga does not retry', async () => {
    const payment = {
      charge: async () => {
        throw new PaymentDeclinedError('card_declined', 'Your card was declined.');
      },
    };
    await expect(
      chargeOrder({ input: orderCreated, steps: { validate: validated }, saga }, payment),
    ).rejects.toMatchObject({ name: 'PaymentDeclinedError' });
  });

  it('refunds the charge once, keyed by the order', async () => {
    const requests: unknown[] = [];
    const payment = {
      refund: async (request: unknown) => {
        requests.push(request);
        return { id: 're_1' };
      },
    };
    const steps = { validate: validated, charge: charged };
    await expect(refundOrder({ input: orderCreated, steps, saga }, payment)).resolves.toEqual({
      refund_id: 're_1',
    });
    expect(requests).toEqual([
      expect.objectContaining({ chargeId: 'ch_1', idempotencyKey: `${validated.order_id}:refund` }),
    ]);
  });
});

describe('createInvoice', () => {
  it('maps the order through order.to.invoice and stores it', async () => {
    const saved: Record<string, unknown>[] = [];
    const store = { save: async (invoice: Record<string, unknown>) => void saved.push(invoice) };
    const result = await createInvoice(
      { input: orderCreated, steps: { validate: validated, charge: charged }, saga },
      store,
    );
    expect(result).toEqual({ invoice_number: `INV-${validated.order_id}` });
    expect(saved[0]).toMatchObject({
      invoice_number: `INV-${validated.order_id}`,
      total_amount: 6100,
      payment_reference: 'ch_1',
    });
  });
});

describe('sendConfirmation', () => {
  it('sends one confirmation to the customer, keyed by the order', async () => {
    const messages: EmailMessage[] = [];
    const email = {
      send: async (message: EmailMessage) => {
        messages.push(message);
        return { messageId: 'msg-1', attempts: 1 };
      },
    };
    const steps = { validate: validated, charge: charged, invoice: { invoice_number: 'INV-1' } };
    await expect(
      sendConfirmation({ input: orderCreated, steps, saga }, email, 'orders@junction.example'),
    ).resolves.toEqual({
      message_id: 'msg-1',
    });
    expect(messages[0]).toMatchObject({
      to: 'ada@example.com',
      from: 'orders@junction.example',
      idempotencyKey: `${validated.order_id}:confirmation`,
      templateData: {
        order_id: validated.order_id,
        invoice_number: 'INV-1',
        amount: '61.00',
        currency: 'EUR',
      },
    });
  });
});

describe('completeOrder and failOrder', () => {
  const now = () => new Date('2025-01-15T10:05:00Z');
  const steps = { validate: validated, charge: charged, invoice: { invoice_number: 'INV-1' } };

  it('puts order.completed, caused by the order.created event', async () => {
    const publisher = recordingPublisher();
    await completeOrder({ input: orderCreated, steps, failures: {}, saga }, publisher, now);
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      type: 'order.completed',
      version: '1.0',
      data: {
        order_id: validated.order_id,
        payment: { charge_id: 'ch_1', amount: 6100, currency: 'EUR' },
        invoice_number: 'INV-1',
        completed_at: '2025-01-15T10:05:00.000Z',
      },
      metadata: { correlation_id: validated.correlation_id, causation_id: orderCreated.id },
    });
  });

  it('also puts notification.failed when the confirmation could not be sent', async () => {
    const publisher = recordingPublisher();
    const failures = { confirm: { Error: 'ProviderUnavailableError', Cause: '{"errorMessage":"down"}' } };
    await completeOrder({ input: orderCreated, steps, failures, saga }, publisher, now);
    expect(publisher.published.map((event) => event.type)).toEqual([
      'order.completed',
      'notification.failed',
    ]);
    expect(publisher.published[1]?.data).toMatchObject({
      order_id: validated.order_id,
      channel: 'email',
      template: 'order_confirmation',
      reason: { code: 'ProviderUnavailableError', step: 'confirm' },
    });
  });

  it('puts order.failed with the reason, saying whether the charge was refunded', async () => {
    const publisher = recordingPublisher();
    const failure = { step: 'invoice', reason: 'Step invoice failed with InvoiceStoreError' };
    const error = { Error: 'InvoiceStoreError', Cause: '{"errorMessage":"table unavailable"}' };
    await failOrder(
      {
        input: orderCreated,
        steps: { validate: validated, charge: charged },
        failures: {},
        error,
        failure,
        saga,
      },
      publisher,
      now,
    );
    expect(publisher.published[0]).toMatchObject({
      type: 'order.failed',
      data: {
        order_id: validated.order_id,
        reason: { code: 'InvoiceStoreError', step: 'invoice', message: 'table unavailable' },
        refunded: true,
      },
    });
  });

  it('says nothing was refunded when the charge itself failed', async () => {
    const publisher = recordingPublisher();
    const failure = { step: 'charge', reason: 'Step charge failed with PaymentDeclinedError' };
    const error = {
      Error: 'PaymentDeclinedError',
      Cause: '{"errorMessage":"The payment was declined (card_declined)"}',
    };
    await failOrder(
      { input: orderCreated, steps: { validate: validated }, failures: {}, error, failure, saga },
      publisher,
      now,
    );
    expect(publisher.published[0]?.data).toMatchObject({
      refunded: false,
      reason: { code: 'PaymentDeclinedError' },
    });
  });
});

describe('saga outcomes as metrics', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });

  it('counts a completed order, a failed one and a compensated one (refunded), by saga and outcome', async () => {
    const steps = { validate: validated, charge: charged, invoice: { invoice_number: 'INV-1' } };
    const error = { Error: 'InvoiceStoreError', Cause: '{}' };
    const emf = captureEmf();
    try {
      await completeOrder({ input: orderCreated, steps, failures: {}, saga }, recordingPublisher());
      await failOrder(
        { input: orderCreated, steps: { validate: validated }, failures: {}, error, saga },
        recordingPublisher(),
      );
      await failOrder(
        { input: orderCreated, steps: { validate: validated, charge: charged }, failures: {}, error, saga },
        recordingPublisher(),
      );
    } finally {
      emf.restore();
    }
    expect(emf.records('Saga_Outcomes_Total').map((record) => [record.saga, record.outcome])).toEqual([
      ['order', 'completed'],
      ['order', 'failed'],
      ['order', 'compensated'],
    ]);
  });
});
