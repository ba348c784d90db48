/**
 * Names of Junction's own EMF metrics: the handlers emit them and the dashboard searches for
 * them, so both read them from here. No imports: CDK code loads this file too.
 */
export const METRIC_NAMES = {
  requests: 'Integration_Requests_Total',
  latency: 'Integration_Latency',
  errors: 'Integration_Errors_Total',
  deadLettered: 'Messages_DeadLettered_Total',
  /** A queue's visible messages when read (GET /health). Dimension: queue_name. */
  queueDepth: 'Message_Queue_Depth',
  /** A connector call, retries included, in milliseconds. Dimension: provider. */
  connectorLatency: 'Connector_Latency',
  /** A connector call that failed because the provider is unwell or its circuit is open. Dimension: provider. */
  connectorErrors: 'Connector_Errors_Total',
  /** An event put on the bus. Dimension: event_type (no service: one line per type). */
  eventsPut: 'Events_Put_Total',
  /** A PutEvents call or entry that failed. No dimension (the type is a property): one alarm watches all. */
  eventsPutFailed: 'Events_Put_Failed_Total',
  /** A saga execution's end. Dimensions: saga, outcome (completed, failed, compensated). */
  sagaOutcomes: 'Saga_Outcomes_Total',
  /** Dimensions: provider, to_state (closed, open, half_open). */
  circuitStateChanges: 'Circuit_State_Changes_Total',
} as const;
