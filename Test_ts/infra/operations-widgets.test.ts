import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { DeadLetterQueue } from '../../lib/messaging/dead-letter-queue';
import { DurableQueue } from '../../lib/messaging/durable-queue';
import {
  allQueueWidgets,
  connectorWidgets,
  eventWidgets,
  sagaWidgets,
} from '../../lib/observability/operations-widgets';
import { dashboardBody } from '../support/dashboard';

describe('operations widgets', () => {
  it('show events put by type and failed puts, from the publishers metrics', () => {
    const body = dashboardBody(() => ({ widgets: [eventWidgets('Junction')] }));
    expect(body).toContain('Events put, by type');
    expect(body).toContain('{Junction,event_type} MetricName=\\"Events_Put_Total\\"');
    expect(body).toContain('Events_Put_Failed_Total');
  });

  it('show saga outcomes and executions of each saga', () => {
    const body = dashboardBody((stack) => ({
      widgets: [
        sagaWidgets('Junction', {
          order: new StateMachine(stack, 'Machine', {
            definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'P')),
          }),
        }),
      ],
    }));
    expect(body).toContain('Saga_Outcomes_Total');
    for (const metric of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]) {
      expect(body).toContain(`"${metric}"`);
    }
    expect(body).toContain('order failed');
  });

  it('show connector latency percentiles, errors and circuit state changes per provider', () => {
    const body = dashboardBody(() => ({ widgets: [connectorWidgets('Junction')] }));
    expect(body).toContain("'p95', 60");
    expect(body).toContain('Connector_Latency');
    expect(body).toContain('Connector_Errors_Total');
    expect(body).toContain(
      '{Junction,provider,service,to_state} MetricName=\\"Circuit_State_Changes_Total\\"',
    );
  });

  it('show the depth and oldest age of every queue and the depth of every dead-letter queue', () => {
    const body = dashboardBody((stack) => ({
      widgets: [
        allQueueWidgets(
          { Orders: new DurableQueue(stack, 'Orders'), Payments: new DurableQueue(stack, 'Payments') },
          [new DeadLetterQueue(stack, 'RouteDlq')],
        ),
      ],
    }));
    expect(body.match(/ApproximateAgeOfOldestMessage/g)).toHaveLength(2);
    expect(body.match(/ApproximateNumberOfMessagesVisible/g)).toHaveLength(3);
    for (const label of ['"Orders"', '"Payments"', '"Dead-letter queue depth"'])
      expect(body).toContain(label);
  });
});
