import toAnalytics from '../../specs/mappings/order.to.analytics.json';
import type { OrderCreatedData } from '../events/schemas/order-created';
import { compileMapping } from '../mapping/compile';

// Compiled once per execution environment; the synth has already type-checked the spec.
const orderToAnalytics = compileMapping(toAnalytics, { file: 'specs/mappings/order.to.analytics.json' });

/** The order as a GA4-style measurement event; throws MappingError (dead-lettered) when it cannot map. */
export function measurementEventFor(order: OrderCreatedData): Record<string, unknown> {
  return orderToAnalytics.map({ order });
}
