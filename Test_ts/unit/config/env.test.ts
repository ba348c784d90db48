import { z } from 'zod';
import { loadConfig } from '../../../utils/config/env';

describe('loadConfig', () => {
  const schema = z.object({
    EVENT_BUS_NAME: z.string().min(1),
    MAX_RECEIVE_COUNT: z.coerce.number().int().min(1),
  });

  it('returns the typed values', () => {
    expect(loadConfig(schema, { EVENT_BUS_NAME: 'bus', MAX_RECEIVE_COUNT: '5' })).toEqual({
      EVENT_BUS_NAME: 'bus',
      MAX_RECEIVE_COUNT: 5,
    });
  });

  it('names every missing or invalid variable at once', () => {
    expect(() => loadConfig(schema, { MAX_RECEIVE_COUNT: 'many' })).toThrow(
      /Invalid configuration: EVENT_BUS_NAME .*; MAX_RECEIVE_COUNT .*/,
    );
  });
});
