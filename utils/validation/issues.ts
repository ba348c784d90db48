import type { z } from 'zod';

/** `items[0].quantity` from zod's path `['items', 0, 'quantity']`; `(body)` for the root. */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(body)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      return index === 0 ? String(segment) : `.${String(segment)}`;
    })
    .join('');
}

/** Every issue of a zod error as `field: message`, joined; `prefix` is prepended to each path. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  return error.issues.map((issue) => `${fieldPath([...prefix, ...issue.path])}: ${issue.message}`).join('; ');
}
