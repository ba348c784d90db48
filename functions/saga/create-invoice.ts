import { z } from 'zod';
import { dynamoDbClient } from '../../utils/aws/clients';
import { loadConfig } from '../../utils/config/env';
import { sagaStepHandler } from '../../utils/orchestration/saga-step-handler';
import { DynamoInvoiceStore } from '../../utils/orders/saga/invoice-store';
import { createInvoice, type StepPayload } from '../../utils/orders/saga/steps';

/** Order saga, step invoice: maps the order through order.to.invoice and keeps the invoice once. */
const config = loadConfig(z.object({ INVOICE_TABLE_NAME: z.string().min(1) }));
const store = new DynamoInvoiceStore(dynamoDbClient(), config.INVOICE_TABLE_NAME);

export const handler = sagaStepHandler('invoice', (payload: StepPayload) => createInvoice(payload, store));
