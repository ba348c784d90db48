import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/aws-events';
import { ORDERS_SOURCE } from '../../utils/orders/order-created';

/**
 * The routing table: which event goes where. One row per route; `id` is the rule's construct id
 * (renaming it replaces the rule) and `target` names a target the stack provides.
 */
export const ROUTES = [
  {
    id: 'OrderEventsToAnalytics',
    description: 'Every order event (order.*) feeds the analytics queue',
    pattern: { source: [ORDERS_SOURCE], detailType: Match.prefix('order.') },
    target: 'analyticsQueue',
    retry: { maxEventAge: Duration.hours(24), attempts: 185 },
  },
] as const;

export type RouteTargetName = (typeof ROUTES)[number]['target'];
