import { RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { LogQueries } from '../../lib/observability/log-queries';
import { templateOf, testStack } from '../support/stacks';

function build() {
  const stack = testStack();
  const groups = ['Ingest', 'Charge'].map(
    (id) => new LogGroup(stack, id, { removalPolicy: RemovalPolicy.DESTROY }),
  );
  new LogQueries(stack, 'Queries', { logGroups: groups });
  return templateOf(stack);
}

const template = build();
const queries = Object.values(template.findResources('AWS::Logs::QueryDefinition')).map(
  (resource) => resource.Properties as { Name: string; QueryString: string; LogGroupNames: unknown[] },
);
const query = (name: string) => queries.find((candidate) => candidate.Name === name);

describe('LogQueries', () => {
  it('saves the three queries ops ask for, over every log group', () => {
    expect(queries.map((candidate) => candidate.Name).sort()).toEqual([
      'Junction/correlation-timeline',
      'Junction/errors-by-type',
      'Junction/slowest-requests',
    ]);
    for (const candidate of queries) expect(candidate.LogGroupNames).toHaveLength(2);
  });

  it('follows one correlation id across functions, oldest line first', () => {
    const text = query('Junction/correlation-timeline')?.QueryString ?? '';
    expect(text).toContain("filter correlation_id = 'PASTE-CORRELATION-ID'");
    expect(text).toContain('sort @timestamp asc');
    expect(text).toMatch(/fields @timestamp, @log, .*message/);
  });

  it('counts warnings and errors by their type and function', () => {
    const text = query('Junction/errors-by-type')?.QueryString ?? '';
    expect(text).toContain("filter level in ['ERROR', 'WARN']");
    expect(text).toContain('stats count(*) as count by error_code, error_name, @log');
  });

  it('lists the slowest API requests from their access lines', () => {
    const text = query('Junction/slowest-requests')?.QueryString ?? '';
    expect(text).toContain("filter message = 'Request handled'");
    expect(text).toContain('sort duration_ms desc');
  });
});
