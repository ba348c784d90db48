import { z } from 'zod';
import { describeIssues, fieldPath } from '../../../utils/validation/issues';

describe('fieldPath', () => {
  it.each([
    [[], '(body)'],
    [['currency'], 'currency'],
    [['items', 0, 'quantity'], 'items[0].quantity'],
    [['items', 2], 'items[2]'],
    [['customer', 'email'], 'customer.email'],
  ] as const)('%p → %s', (path, expected) => {
    expect(fieldPath(path)).toBe(expected);
  });
});

describe('describeIssues', () => {
  it('joins every issue as field: message, under a prefix', () => {
    const result = z.object({ a: z.string(), b: z.number() }).safeParse({ a: 1 });
    if (result.success) throw new Error('expected a failure');
    expect(describeIssues(result.error, ['data'])).toBe(
      'data.a: Invalid input: expected string, received number; data.b: Invalid input: expected number, received undefined',
    );
  });
});
