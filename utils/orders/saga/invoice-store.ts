import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { InvoiceStore } from './steps';

/**
 * Invoices in DynamoDB, keyed by invoice number. An invoice is written once: when the step is
 * retried after a timeout, the invoice already there is the one issued, and the retry succeeds.
 */
export class DynamoInvoiceStore implements InvoiceStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async save(invoice: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(invoice, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(invoice_number)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}
