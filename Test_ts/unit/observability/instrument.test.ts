import type { Context } from 'aws-lambda';
import { lambdaContext } from '../../support/lambda-context';
import { captureStdout } from '../../support/stdout';

describe('instrument', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    // Lambda sets this; Powertools counts a cold start only for on-demand initialisation.
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  });

  it('adds the Lambda context to log lines, resets keys per invocation and counts the cold start', async () => {
    const { instrument } = await import('../../../utils/observability/instrument');
    const { logger } = await import('../../../utils/observability/powertools');
    const handler = instrument(async (event: { key: string }, _context: Context) => {
      logger.appendKeys({ [`seen_${event.key}`]: true });
      logger.info('handled', { customer_email: 'ada@example.com' });
      return 'done';
    });
    const stdout = captureStdout();
    try {
      expect(await handler({ key: 'a' }, lambdaContext('instrumented'))).toBe('done');
      expect(await handler({ key: 'b' }, lambdaContext('instrumented'))).toBe('done');
    } finally {
      stdout.restore();
    }
    const logged = stdout.json().filter((line) => line.message === 'handled');
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ function_name: 'instrumented', cold_start: true, seen_a: true });
    expect(logged[1]).toMatchObject({ cold_start: false, seen_b: true });
    expect(logged[1]).not.toHaveProperty('seen_a');
    expect(logged[0]?.customer_email).toBe('[REDACTED]');
    const coldStarts = stdout.json().filter((record) => '_aws' in record && 'ColdStart' in record);
    expect(coldStarts.map((record) => record.ColdStart)).toEqual([1]);
  });
});

describe('instrument and metrics', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  });

  it('flushes metrics an invocation stored, and says nothing when it stored none', async () => {
    const { instrument } = await import('../../../utils/observability/instrument');
    const { metrics } = await import('../../../utils/observability/powertools');
    const { MetricUnit } = await import('@aws-lambda-powertools/metrics');
    const storing = instrument(async (_event: unknown, _context: Context) => {
      metrics.addMetric('Orders_Stored_Total', MetricUnit.Count, 1);
      return 'stored';
    });
    const silent = instrument(async (_event: unknown, _context: Context) => 'nothing');
    const stdout = captureStdout();
    const warnings: string[] = [];
    const originalError = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      warnings.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await storing({}, lambdaContext('metrics'));
      await silent({}, lambdaContext('metrics'));
    } finally {
      stdout.restore();
      process.stderr.write = originalError;
    }
    const stored = stdout.json().filter((record) => 'Orders_Stored_Total' in record);
    expect(stored.map((record) => record.Orders_Stored_Total)).toEqual([1]);
    expect([...stdout.lines, ...warnings].join('\n')).not.toContain('No application metrics to publish');
  });
});
