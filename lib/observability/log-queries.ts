import { type ILogGroup, QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface LogQueriesProps {
  /** Every function's log group: a request crosses them all. */
  readonly logGroups: readonly ILogGroup[];
}

/**
 * Logs Insights queries saved with the stack, over the JSON lines Powertools writes: a correlation
 * id's timeline across functions, warnings and errors by type, and the slowest API requests.
 */
export class LogQueries extends Construct {
  constructor(scope: Construct, id: string, props: LogQueriesProps) {
    super(scope, id);
    const logGroups = [...props.logGroups];
    new QueryDefinition(this, 'CorrelationTimeline', {
      queryDefinitionName: 'Junction/correlation-timeline',
      logGroups,
      queryString: new QueryString({
        fields: ['@timestamp', '@log', 'level', 'message', 'step', 'event_type', 'order_id', 'error_code'],
        filterStatements: ["correlation_id = 'PASTE-CORRELATION-ID'"],
        sort: '@timestamp asc',
        limit: 1000,
      }),
    });
    new QueryDefinition(this, 'ErrorsByType', {
      queryDefinitionName: 'Junction/errors-by-type',
      logGroups,
      queryString: new QueryString({
        filterStatements: ["level in ['ERROR', 'WARN']"],
        statsStatements: ['count(*) as count by error_code, error_name, @log'],
        sort: 'count desc',
      }),
    });
    new QueryDefinition(this, 'SlowestRequests', {
      queryDefinitionName: 'Junction/slowest-requests',
      logGroups,
      queryString: new QueryString({
        fields: ['@timestamp', 'endpoint', 'status', 'duration_ms', 'correlation_id', 'cold_start'],
        filterStatements: ["message = 'Request handled'"],
        sort: 'duration_ms desc',
        limit: 50,
      }),
    });
  }
}
