import type { PathSegment } from './paths';

/** Output containers are built from plain objects keyed by the spec's (checked) target names. */
type Container = Record<string | number, unknown>;

/** An index in the target (`events[0].name`) makes an array; a name makes an object. */
const containerFor = (nextKey: PathSegment | undefined): Container =>
  (typeof nextKey === 'number' ? [] : {}) as Container;

/** Walks `keys[0..end)` from `container`, creating objects (or arrays, before an index) on the way. */
function walk(container: Container, keys: readonly PathSegment[], end: number): Container {
  let node = container;
  for (let position = 0; position < end; position++) {
    const key = keys[position] as PathSegment;
    let next = node[key] as Container | undefined;
    if (next === undefined) node[key] = next = containerFor(keys[position + 1]);
    node = next;
  }
  return node;
}

/** Walks `keys` from `container`, creating objects on the way, and returns the array at the end. */
export function ensureList(container: Container, keys: readonly PathSegment[]): unknown[] {
  // No keys: the container is itself the list (`matrix[*][*]`).
  if (keys.length === 0) return container as unknown as unknown[];
  const last = keys.length - 1;
  const node = walk(container, keys, last);
  const key = keys[last] as PathSegment;
  let list = node[key] as unknown[] | undefined;
  if (list === undefined) node[key] = list = [];
  return list;
}

/** Walks `keys` from `container`, creating objects (or arrays, before an index) on the way. */
export function ensureObject(container: Container, keys: readonly PathSegment[]): Container {
  return walk(container, keys, keys.length);
}

/** Sets `value` at `keys` under `container`, creating objects on the way. */
export function setIn(container: Container, keys: readonly PathSegment[], value: unknown): void {
  const last = keys.length - 1;
  walk(container, keys, last)[keys[last] as PathSegment] = value;
}
