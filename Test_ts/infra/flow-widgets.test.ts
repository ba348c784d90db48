import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { handlerEntry, IntegrationFunction } from '../../lib/compute/integration-function';
import {
  apiWidgets,
  functionWidgets,
  integrationMetricWidgets,
  ruleWidgets,
} from '../../lib/observability/flow-widgets';
import { dashboardBody } from '../support/dashboard';
import { bareRestApi } from '../support/rest-api';

describe('flow widgets', () => {
  it('show API requests, 4xx, 5xx and latency percentiles', () => {
    const body = dashboardBody((stack) => ({ widgets: [apiWidgets(bareRestApi(stack))] }));
    for (const expected of ['"Count"', '"4XXError"', '"5XXError"', '"Latency"', 'p50', 'p95', 'p99']) {
      expect(body).toContain(expected);
    }
  });

  it("search Junction's own metrics by their dimensions", () => {
    const body = dashboardBody(() => ({ widgets: [integrationMetricWidgets('Junction')] }));
    expect(body).toContain(
      `SEARCH('{Junction,endpoint,service,status} MetricName=\\"Integration_Requests_Total\\"', 'Sum', 60)`,
    );
    expect(body).toContain('Integration_Errors_Total');
    expect(body).toContain('Messages_DeadLettered_Total');
    for (const statistic of ['p50', 'p95', 'p99']) {
      expect(body).toContain(
        `SEARCH('{Junction,endpoint,service} MetricName=\\"Integration_Latency\\"', '${statistic}', 60)`,
      );
    }
  });

  it('show each function: invocations, errors, duration, throttles and concurrency', () => {
    const body = dashboardBody((stack) => {
      const fn = new IntegrationFunction(stack, 'Fn', {
        entry: handlerEntry('api/health'),
        description: 'd',
        serviceName: 's',
        memorySize: 128,
        timeout: Duration.seconds(3),
      });
      return { widgets: [functionWidgets([fn])] };
    });
    for (const expected of [
      '"Invocations"',
      '"Errors"',
      '"Duration"',
      '"Throttles"',
      '"ConcurrentExecutions"',
    ]) {
      expect(body).toContain(expected);
    }
  });

  it('show matched, delivered and failed events per rule on the custom bus', () => {
    const body = dashboardBody((stack) => {
      const bus = new EventBus(stack, 'Bus');
      const rule = new Rule(stack, 'Rule', { eventBus: bus, eventPattern: { source: ['x'] } });
      return { widgets: [ruleWidgets(bus, [rule])] };
    });
    for (const expected of [
      '"MatchedEvents"',
      '"Invocations"',
      '"FailedInvocations"',
      '"EventBusName"',
      '"RuleName"',
    ]) {
      expect(body).toContain(expected);
    }
  });
});
