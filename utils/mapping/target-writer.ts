import type { PathSegment } from './paths';

/** Output containers are built from plain objects keyed by the spec's (checked) target names. */
type Container = Record<string | number, unknown>;

/** An index in the target (`events[0].name`) makes an array; a name makes an object. */
const containerFor = (nextKey: PathSegment | undefined): Container =>
  (typeof nextKey === 'number' ? [] : {}) as Container;

/** Walks `keys` from `container`, creating objects on the way, and returns the array at the end. */
export function ensureList(container: Container, keys: readonly PathSegment[]): unknown[] {
  // No keys: the container is itself the list (`matrix[*][*]`).
  if (keys.length === 0) return container as unknown as unknown[];
  let node = container;
  const last = keys.length - 1;
  for (let position = 0; position < last; position++) {
    const key = keys[position] as PathSegment;
    let next = node[key] as Container | undefined;
    if (next === undefined) node[key] = next = containerFor(keys[position + 1]);
    node = next;
  }
  const key = keys[last] as PathSegment;
  let list = node[key] as unknown[] | undefined;
  if (list === undefined) node[key] = list = [];
  return list;
}

/** Walks `keys` from `container`, creating objects (or arrays, before an index) on the way. */
export function ensureObject(container: Container, keys: readonly PathSegment[]): Container {
  let node = container;
  for (let position = 0; position < keys.length; position++) {
    const key = keys[position] as PathSegment;
    let next = node[key] as Container | undefined;
    if (next === undefined) node[key] = next = containerFor(keys[position + 1]);
    node = next;
  }
  return node;
}

/** Sets `value` at `keys` under `container`, creating objects on the way. */
export function setIn(container: Container, keys: readonly PathSegment[], value: unknown): void {
  let node = container;
  const last = keys.length - 1;
  for (let position = 0; position < last; position++) {
    const key = keys[position] as PathSegment;
    let next = node[key] as Container | undefined;
    if (next === undefined) node[key] = next = containerFor(keys[position + 1]);
    node = next;
  }
  node[keys[last] as PathSegment] = value;
}
