import measurement from '../../../events/mappings/order.to.analytics/expected.json';
import { AnalyticsConnector } from '../../../utils/connectors/analytics';
import { RequestValidationError } from '../../../utils/http/errors';
import { staticCredentials } from '../../../utils/security/credentials';
import { instantTiming } from '../../support/connectors';
import { scriptedServerPerFile } from '../../support/scripted-server';

const server = scriptedServerPerFile({ status: 204 });

const connector = () =>
  new AnalyticsConnector({
    baseUrl: server.url,
    credentials: staticCredentials({ api_secret: 'ga-secret', measurement_id: 'G-TEST' }),
    timing: instantTiming(),
  });

describe('AnalyticsConnector', () => {
  it('collects the order.to.analytics output with the stream credentials in the query', async () => {
    await expect(connector().collect(measurement, { idempotencyKey: 'evt-1' })).resolves.toEqual({
      attempts: 1,
    });
    expect(server.received[0]).toMatchObject({
      method: 'POST',
      url: '/mp/collect?api_secret=ga-secret&measurement_id=G-TEST',
    });
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual(measurement);
  });

  it('checks the events before sending them, since GA4 answers 204 to anything', async () => {
    const tooMany = { ...measurement, events: Array.from({ length: 26 }, () => measurement.events[0]) };
    const error = await connector()
      .collect(tooMany, { idempotencyKey: 'k' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain('events: Too big');
    await expect(
      connector().collect({ events: measurement.events }, { idempotencyKey: 'k' }),
    ).rejects.toThrow('client_id');
    expect(server.received).toHaveLength(0);
  });

  it('returns what the validation endpoint reports', async () => {
    const messages = [{ fieldPath: 'events', description: 'bad', validationCode: 'VALUE_INVALID' }];
    server.reply({ status: 200, body: { validationMessages: messages } });
    await expect(connector().validate(measurement)).resolves.toEqual(messages);
    expect(server.received[0]?.url).toMatch(/^\/debug\/mp\/collect\?/);
  });
});
