import { CreateTableCommand, GetItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoInvoiceStore } from '../../utils/orders/saga/invoice-store';
import { type RunningDynalite, startDynalite } from '../support/dynalite';

let dynamo: RunningDynalite;
const TABLE = 'invoices';

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'invoice_number', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'invoice_number', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists(
    { client: dynamo.client, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
    { TableName: TABLE },
  );
});
afterAll(() => dynamo.stop());

describe('DynamoInvoiceStore', () => {
  const invoice = {
    invoice_number: 'INV-ord-1',
    order_reference: 'ord-1',
    total_amount: 6100,
    line_items: [{ sku: 'A' }],
  };

  it('keeps an invoice as it was mapped', async () => {
    await new DynamoInvoiceStore(dynamo.client, TABLE).save(invoice);
    const stored = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { invoice_number: { S: 'INV-ord-1' } } }),
    );
    expect(unmarshall(stored.Item ?? {})).toEqual(invoice);
  });

  it('keeps the first invoice when the step runs again, and does not fail the retry', async () => {
    const store = new DynamoInvoiceStore(dynamo.client, TABLE);
    await store.save({ ...invoice, invoice_number: 'INV-ord-2' });
    await expect(
      store.save({ ...invoice, invoice_number: 'INV-ord-2', total_amount: 1 }),
    ).resolves.toBeUndefined();
    const stored = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { invoice_number: { S: 'INV-ord-2' } } }),
    );
    expect(unmarshall(stored.Item ?? {}).total_amount).toBe(6100);
  });
});
