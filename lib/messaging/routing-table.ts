import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { ORDERS_SOURCE } from '../../utils/orders/order-created';
import { EVENTBRIDGE_MAX_RETRY, type RouteRetryPolicy } from './event-route';

/** The targets the stack provides to the routing table, by name. */
export type RouteTargetName = 'analyticsQueue' | 'orderSagaQueue';

export interface RouteDefinition {
  /** The rule's construct id: renaming it replaces the rule. */
  readonly id: string;
  readonly description: string;
  readonly pattern: EventPattern;
  readonly target: RouteTargetName;
  readonly retry: Required<RouteRetryPolicy>;
}

/** The routing table: which event goes where. One row per route. */
export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'OrderEventsToAnalytics',
    description: 'Every new order (order.created) feeds the analytics queue',
    pattern: { source: [ORDERS_SOURCE], detailType: ['order.created'] },
    target: 'analyticsQueue',
    retry: EVENTBRIDGE_MAX_RETRY,
  },
  {
    id: 'OrderCreatedToSaga',
    description: 'Every new order (order.created) starts the order saga',
    pattern: { source: [ORDERS_SOURCE], detailType: ['order.created'] },
    target: 'orderSagaQueue',
    retry: EVENTBRIDGE_MAX_RETRY,
  },
];
