import measurement from '../../../events/mappings/order.to.analytics/expected.json';
import type { SandboxProviders } from '../../../local/providers';
import { AnalyticsConnector } from '../../../utils/connectors/analytics';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming } from '../../support/connectors';
import { callsTo, SANDBOX_CREDENTIALS, startSandbox } from '../../support/sandbox-providers';

// The analytics connector against the GA4-like sandbox over real HTTP, with the order.to.analytics output.

let providers: SandboxProviders;
let draws: (...values: number[]) => void;

beforeAll(async () => {
  ({ providers, draws } = await startSandbox());
});
afterEach(() => providers.analytics.reset());
afterAll(() => providers?.stop());

const connector = (apiSecret: string = SANDBOX_CREDENTIALS.analytics) =>
  new AnalyticsConnector({
    baseUrl: providers.analytics.url,
    credentials: staticCredentials({ api_secret: apiSecret, measurement_id: 'G-JUNCTION' }),
    timing: instantTiming(),
  });

describe('AnalyticsConnector against the analytics sandbox', () => {
  it('collects a measurement the provider finds valid', async () => {
    await expect(connector().collect(measurement, { idempotencyKey: 'evt-1' })).resolves.toEqual({
      attempts: 1,
    });
    const [call] = callsTo(providers.analytics, 'POST', '/mp/collect');
    expect(call).toMatchObject({
      status: 204,
      path: '/mp/collect?api_secret=redacted&measurement_id=G-JUNCTION',
      validation: { valid: true, messages: [] },
      requestBody: measurement,
    });
  });

  it('reports through validate what GA4 would silently drop', async () => {
    await expect(connector('wrong-secret').validate(measurement)).resolves.toEqual([
      expect.objectContaining({ fieldPath: 'api_secret', validationCode: 'VALUE_INVALID' }),
    ]);
    await expect(connector().validate(measurement)).resolves.toEqual([]);
  });

  it('retries a 500 and collects once', async () => {
    providers.analytics.setFaults({ errorRate: 0.5, errorStatus: 500 });
    draws(0.1, 0.9);
    await expect(connector().collect(measurement, { idempotencyKey: 'evt-2' })).resolves.toEqual({
      attempts: 2,
    });
    expect(callsTo(providers.analytics, 'POST', '/mp/collect').map((call) => call.status)).toEqual([
      500, 204,
    ]);
  });
});
