import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  parseEventDetail,
  UnknownEventTypeError,
  UnsupportedEventVersionError,
} from '../../../utils/events/catalog';
import { InvalidEventError } from '../../../utils/messaging/errors';

const sample = JSON.parse(
  readFileSync(path.join(__dirname, '../../../events/eventbridge/order-created.json'), 'utf8'),
) as { detail: Record<string, unknown> };

describe('event catalog', () => {
  it('parses a known event with the schema of its version', () => {
    const envelope = parseEventDetail(sample.detail);
    expect(envelope.type).toBe('order.created');
    expect(envelope.data.total_amount).toBe(6100);
  });

  it('rejects an unknown type, naming it', () => {
    expect(() => parseEventDetail({ ...sample.detail, type: 'order.teleported' })).toThrow(
      UnknownEventTypeError,
    );
    expect(() => parseEventDetail({ ...sample.detail, type: 'order.teleported' })).toThrow(
      'Unknown event type "order.teleported"',
    );
  });

  it('rejects an unsupported major version, listing the supported ones', () => {
    expect(() => parseEventDetail({ ...sample.detail, version: '2.0' })).toThrow(
      UnsupportedEventVersionError,
    );
    expect(() => parseEventDetail({ ...sample.detail, version: '2.0' })).toThrow(
      'Event order.created version 2.0 is not supported (supported: 1.0)',
    );
  });

  it('rejects data that breaks the schema, naming the field', () => {
    const data = { ...(sample.detail.data as object), total_amount: 'lots' };
    expect(() => parseEventDetail({ ...sample.detail, data })).toThrow(InvalidEventError);
    expect(() => parseEventDetail({ ...sample.detail, data })).toThrow(/data\.total_amount/);
  });

  it('rejects something that is not an envelope', () => {
    expect(() => parseEventDetail('hello')).toThrow(InvalidEventError);
  });
});
