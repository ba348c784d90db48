import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EnvelopeMetadata } from '../events/envelope';
import type { OrderCreatedData } from '../events/schemas/order-created';
import { logger, metrics } from '../observability/powertools';

/** What analytics keeps of an order: counts and amounts, never the customer. */
export interface OrderSummary {
  readonly order_id: string;
  readonly currency: string;
  readonly channel: OrderCreatedData['channel'];
  readonly line_count: number;
  readonly unit_count: number;
  readonly total_amount: number;
}

export function summarizeOrder(order: OrderCreatedData): OrderSummary {
  return {
    order_id: order.order_id,
    currency: order.currency,
    channel: order.channel,
    line_count: order.items.length,
    unit_count: order.items.reduce((sum, item) => sum + item.quantity, 0),
    total_amount: order.total_amount,
  };
}

/** Emits the order's business metrics (EMF, by currency) and a structured log line. */
export function recordOrderSummary(summary: OrderSummary, metadata: EnvelopeMetadata): void {
  const recorded = metrics.singleMetric();
  recorded.addDimension('currency', summary.currency);
  recorded.addMetric('Orders_Recorded_Total', MetricUnit.Count, 1);
  recorded.addMetric('Order_Value_Minor_Units', MetricUnit.NoUnit, summary.total_amount);
  recorded.addMetric('Order_Units_Total', MetricUnit.Count, summary.unit_count);
  logger.info('Order recorded for analytics', {
    ...summary,
    correlation_id: metadata.correlation_id,
    causation_id: metadata.causation_id,
  });
}
