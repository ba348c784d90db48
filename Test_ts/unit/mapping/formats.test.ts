import { FormatError, parseFormat, roundHalfEven } from '../../../utils/mapping/formats';

const run = (format: string, value: unknown) => parseFormat(format).apply(value);

describe('roundHalfEven', () => {
  it.each([
    [2.675, 2, 2.68],
    [2.665, 2, 2.66],
    [0.125, 2, 0.12],
    [0.135, 2, 0.14],
    [2.5, 0, 2],
    [3.5, 0, 4],
    [-2.5, 0, -2],
    [-1.005, 2, -1],
    [1.005, 2, 1],
    [1234.5678, 1, 1234.6],
    [0.1 + 0.2, 2, 0.3],
    [1e-7, 2, 0],
  ])('rounds %d to %d places as %d, decided on its decimal digits', (value, places, expected) => {
    expect(roundHalfEven(value, places)).toBe(expected);
  });
});

describe('parseFormat', () => {
  it.each([
    ['iso8601', '2025-01-15T11:00:00+01:00', '2025-01-15T10:00:00.000Z'],
    ['iso8601', 1736935200000, '2025-01-15T10:00:00.000Z'],
    ['iso8601', '2025-01-15', '2025-01-15T00:00:00.000Z'],
    ['date', '2025-01-15T23:30:00-02:00', '2025-01-16'],
    ['epoch-seconds', '2025-01-15T10:00:00.900Z', 1736935200],
    ['epoch-millis', '2025-01-15T10:00:00.900Z', 1736935200900],
    ['epoch-micros', '2025-01-15T10:00:00.900Z', 1736935200900000],
    ['decimal:2', 24.5, '24.50'],
    ['decimal:2', 2.675, '2.68'],
    ['decimal:0', 2.5, '2'],
    ['decimal:3', -0.0005, '0.000'],
    ['decimal:2', 1e21, '1000000000000000000000.00'],
    ['minor-to-major:2', 2450, 24.5],
    ['minor-to-major:2', 7, 0.07],
    ['minor-to-major:0', 500, 500],
    ['minor-to-major:3', 1234567, 1234.567],
    ['upper', 'ada Lovelace', 'ADA LOVELACE'],
    ['lower', 'Ada@Example.COM', 'ada@example.com'],
    ['title', 'ada  LOVELACE-byron', 'Ada  Lovelace-byron'],
    ['trim', '  x y  ', 'x y'],
  ])('%s turns %j into %j', (format, value, expected) => {
    expect(run(format, value)).toEqual(expected);
  });

  it.each([
    ['iso8601', 'yesterday', 'expected a date'],
    ['iso8601', '2025-01-15T10:00:00', 'expected a date with a time zone'],
    ['iso8601', true, 'expected a date'],
    ['decimal:2', '24.5', 'expected a number, found string'],
    ['minor-to-major:2', 24.5, 'expected an integer amount in minor units, found 24.5'],
    ['upper', 42, 'expected a string, found number'],
  ])('%s rejects %j: %s', (format, value, reason) => {
    try {
      run(format, value);
      throw new Error('formatted');
    } catch (error) {
      expect(error).toBeInstanceOf(FormatError);
      expect((error as FormatError).reason).toBe(reason);
    }
  });

  it.each(['iso', 'decimal', 'decimal:x', 'decimal:21', 'minor-to-major', 'Upper'])(
    'rejects the unknown format %j, listing the known ones',
    (format) => {
      expect(() => parseFormat(format)).toThrow(/expected one of iso8601, date, epoch-seconds/);
    },
  );

  it('says which input types a format accepts', () => {
    expect(parseFormat('decimal:2').accepts).toEqual(['number']);
    expect(parseFormat('iso8601').accepts).toEqual(['string', 'number']);
    expect(parseFormat('title').accepts).toEqual(['string']);
  });
});
