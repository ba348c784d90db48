import {
  catalogSchemaSources,
  parseEventDetail,
  requireEventType,
  UnknownEventTypeError,
  UnsupportedEventVersionError,
  validateEventData,
} from '../../../utils/events/catalog';
import { InvalidEventError } from '../../../utils/messaging/errors';
import { sampleJson } from '../../support/api-events';

type Detail = Record<string, unknown> & { data: Record<string, unknown> };
const current = sampleJson<{ detail: Detail }>('eventbridge/order-created.json').detail;
const v10 = sampleJson<{ detail: Detail }>('eventbridge/order-created-1.0.json').detail;
const customerUpdated = sampleJson<{ detail: Detail }>('eventbridge/customer-updated.json').detail;

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('parseEventDetail', () => {
  it('parses order.created 1.1 with its own schema', () => {
    const envelope = parseEventDetail(current);
    expect(envelope.type).toBe('order.created');
    expect(envelope.version).toBe('1.2');
    expect(envelope.data).toMatchObject({
      channel: 'api',
      total_amount: 6100,
      customer: { locale: 'en-GB' },
    });
  });

  it('upcasts order.created 1.0 to 1.1: channel api, everything else as it was', () => {
    const envelope = parseEventDetail(v10);
    expect(envelope.version).toBe('1.2');
    expect(envelope.data).toEqual({ ...v10.data, channel: 'api' });
    expect(envelope.id).toBe(v10.id);
    expect(envelope.metadata).toEqual(v10.metadata);
  });

  it('reads a newer minor with the newest known schema of its major, dropping fields it does not know', () => {
    const data = { ...current.data, loyalty_points: 12 };
    const envelope = parseEventDetail({ ...current, version: '1.3', data });
    expect(envelope.version).toBe('1.2');
    expect(envelope.data).toEqual(current.data);
    expect(envelope.data).not.toHaveProperty('loyalty_points');
  });

  it('names the version received and the version it was read as when a newer minor breaks the schema', () => {
    const { channel: _dropped, ...data } = current.data;
    expect(() => parseEventDetail({ ...current, version: '1.3', data })).toThrow(
      /^Invalid order\.created 1\.3 event \(read as 1\.2\): data\.channel/,
    );
  });

  it('checks each version with its own schema: 1.1 requires a channel, 1.0 does not', () => {
    const { channel: _dropped, ...data } = current.data;
    expect(() => parseEventDetail({ ...current, version: '1.1', data })).toThrow(
      /Invalid order\.created 1\.1 event: data\.channel/,
    );
    const upcast = requireEventType(parseEventDetail({ ...current, version: '1.0', data }), 'order.created');
    expect(upcast.data.channel).toBe('api');
  });

  it('rejects a channel it does not know', () => {
    const data = { ...current.data, channel: 'fax' };
    expect(() => parseEventDetail({ ...current, data })).toThrow(/data\.channel/);
  });

  it('rejects a locale that is not a BCP 47 language tag', () => {
    const data = { ...current.data, customer: { ...(current.data.customer as object), locale: 'German' } };
    expect(() => parseEventDetail({ ...current, data })).toThrow(/data\.customer\.locale/);
  });

  it('rejects an unknown type, naming it', () => {
    const error = thrown(() => parseEventDetail({ ...current, type: 'order.teleported' }));
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect((error as Error).message).toBe('Unknown event type "order.teleported"');
  });

  it('rejects an unsupported major version, listing the supported ones', () => {
    const error = thrown(() => parseEventDetail({ ...current, version: '2.0' }));
    expect(error).toBeInstanceOf(UnsupportedEventVersionError);
    expect((error as InvalidEventError).code).toBe('UNSUPPORTED_EVENT_VERSION');
    expect((error as Error).message).toBe(
      'Event order.created version 2.0 is not supported (supported: 1.0, 1.1, 1.2 and newer 1.x minors)',
    );
  });

  it('rejects a minor older than the oldest supported one', () => {
    expect(() => parseEventDetail({ ...current, version: '0.9' })).toThrow(UnsupportedEventVersionError);
  });

  it('rejects data that breaks the schema, naming the field', () => {
    const data = { ...current.data, total_amount: 'lots' };
    expect(() => parseEventDetail({ ...current, data })).toThrow(InvalidEventError);
    expect(() => parseEventDetail({ ...current, data })).toThrow(/data\.total_amount/);
  });

  it('rejects something that is not an envelope', () => {
    expect(() => parseEventDetail('hello')).toThrow(InvalidEventError);
  });

  it('parses customer.updated 1.0', () => {
    const envelope = parseEventDetail(customerUpdated);
    expect(envelope.type).toBe('customer.updated');
    expect(envelope.version).toBe('1.0');
    expect(envelope.data).toEqual(customerUpdated.data);
  });

  it.each([
    ['phone', '030 1234567', /data\.phone/],
    ['country', 'Germany', /data\.country/],
    ['marketing_opt_in', 'yes', /data\.marketing_opt_in/],
    ['updated_at', 'yesterday', /data\.updated_at/],
    ['email', 'not-an-address', /data\.email/],
  ])('rejects customer.updated with a bad %s', (field, value, message) => {
    const data = { ...customerUpdated.data, [field]: value };
    expect(() => parseEventDetail({ ...customerUpdated, data })).toThrow(message);
  });

  it('accepts customer.updated without the optional phone and company', () => {
    const { phone: _phone, company: _company, ...data } = customerUpdated.data;
    expect(parseEventDetail({ ...customerUpdated, data }).data).toEqual(data);
  });
});

describe('requireEventType', () => {
  it('returns the envelope, narrowed, when its type is the one a consumer handles', () => {
    const envelope = requireEventType(parseEventDetail(current), 'order.created');
    expect(envelope.data.channel).toBe('api');
  });

  it('refuses another known type as an invalid event for this consumer', () => {
    const error = thrown(() => requireEventType(parseEventDetail(customerUpdated), 'order.created'));
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).code).toBe('UNEXPECTED_EVENT_TYPE');
    expect((error as Error).message).toBe('Expected event type order.created, got customer.updated');
  });
});

describe('validateEventData', () => {
  it('accepts data that matches the schema of exactly that type and version', () => {
    expect(() => validateEventData('order.created', '1.0', v10.data)).not.toThrow();
    expect(() => validateEventData('order.created', '1.1', current.data)).not.toThrow();
  });

  it('refuses a version it does not know exactly: a producer must publish a version it knows', () => {
    expect(() => validateEventData('order.created', '1.3', current.data)).toThrow(
      UnsupportedEventVersionError,
    );
  });

  it('refuses data of the wrong version, naming the field', () => {
    expect(() => validateEventData('order.created', '1.1', v10.data)).toThrow(
      /Invalid order\.created 1\.1 event: data\.channel/,
    );
  });

  it('refuses an unknown type', () => {
    expect(() => validateEventData('order.teleported', '1.0', {})).toThrow(UnknownEventTypeError);
  });
});

describe('catalogSchemaSources', () => {
  it('lists every version of every type, each with its zod schema', () => {
    expect(catalogSchemaSources().map(({ type, version }) => `${type} ${version}`)).toEqual([
      'order.created 1.0',
      'order.created 1.1',
      'order.created 1.2',
      'order.completed 1.0',
      'order.failed 1.0',
      'notification.failed 1.0',
      'customer.updated 1.0',
      'payment.succeeded 1.0',
      'payment.failed 1.0',
      'payment.refunded 1.0',
      'email.bounced 1.0',
      'email.dropped 1.0',
    ]);
  });
});
