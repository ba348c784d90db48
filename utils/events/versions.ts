import type { z } from 'zod';
import { InvalidEventError } from '../messaging/errors';
import { describeIssues } from '../validation/issues';

/** One version of an event type's `data`. */
export interface EventVersion {
  /** `major.minor`, such as `1.1`. */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly schema: z.ZodType;
  /** Turns data of the previous minor into this one; the first version of a chain has none. */
  readonly upcast?: (previous: unknown) => unknown;
}

const VERSION = /^(\d+)\.(\d+)$/;

function splitVersion(version: string): { major: number; minor: number } | undefined {
  const match = VERSION.exec(version);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/**
 * The supported versions of one event type: consecutive minors of one major, oldest first, each
 * with the upcaster from the one before. Consumers receive the newest (`TLatest`), whatever was sent.
 */
export class EventVersions<TLatest extends z.ZodType = z.ZodType> {
  private constructor(
    readonly type: string,
    readonly versions: readonly [EventVersion, ...EventVersion[]],
  ) {}

  static start<S extends z.ZodType>(type: string, version: string, schema: S): EventVersions<S> {
    const parts = splitVersion(version);
    if (!parts) throw new Error(`${type}: version "${version}" is not major.minor`);
    return new EventVersions<S>(type, [{ version, ...parts, schema }]);
  }

  /** The newest version: what `upcast` returns. */
  get latest(): EventVersion & { readonly schema: TLatest } {
    return this.versions[this.versions.length - 1] as EventVersion & { readonly schema: TLatest };
  }

  get major(): number {
    return this.versions[0].major;
  }

  /** Adds the next minor, with the function that turns data of the current newest into it. */
  next<S extends z.ZodType>(
    version: string,
    schema: S,
    upcast: (previous: z.output<TLatest>) => z.input<S>,
  ): EventVersions<S> {
    const previous = this.latest;
    const parts = splitVersion(version);
    if (!parts) throw new Error(`${this.type}: version "${version}" is not major.minor`);
    const refuse = (why: string) =>
      new Error(`${this.type} ${version} cannot follow ${previous.version}: ${why}`);
    if (parts.major !== previous.major) throw refuse('a chain holds the minors of one major');
    // Consecutive minors, so every minor between the first and the newest can be read.
    if (parts.minor !== previous.minor + 1)
      throw refuse(`the next minor is ${previous.major}.${previous.minor + 1}`);
    const entry: EventVersion = {
      version,
      ...parts,
      schema,
      upcast: upcast as (previous: unknown) => unknown,
    };
    return new EventVersions<S>(this.type, [...this.versions, entry]);
  }

  /** Exactly this version, if the chain has it. */
  exact(version: string): EventVersion | undefined {
    const parts = splitVersion(version);
    return this.versions.find((entry) => entry.major === parts?.major && entry.minor === parts.minor);
  }

  /**
   * The version whose schema reads data sent as `version`: that version itself, or the newest
   * known one for a newer minor of the same major (minors only add, so its schema still fits).
   */
  resolve(version: string): EventVersion | undefined {
    const parts = splitVersion(version);
    if (parts?.major === this.major && parts.minor > this.latest.minor) return this.latest;
    return this.exact(version);
  }

  /** Upcasts data already parsed with the schema of `from`, step by step, to the newest version. */
  upcast(from: EventVersion, data: unknown): z.output<TLatest> {
    const start = this.versions.indexOf(from);
    if (start < 0) throw new Error(`${this.type} ${from.version} is not a version of this chain`);
    let current = data;
    for (const step of this.versions.slice(start + 1)) {
      // Each step is parsed, so the next upcaster gets exactly the type it was written for.
      const parsed = step.schema.safeParse(step.upcast?.(current));
      if (!parsed.success) {
        throw new InvalidEventError(
          `${this.type} ${from.version} could not be upcast to ${step.version}: ${describeIssues(parsed.error, ['data'])}`,
          'UPCAST_FAILED',
        );
      }
      current = parsed.data;
    }
    return current as z.output<TLatest>;
  }
}

/** The first supported version of an event type; add later minors with `.next(...)`. */
export function eventVersions<S extends z.ZodType>(
  type: string,
  version: string,
  schema: S,
): EventVersions<S> {
  return EventVersions.start(type, version, schema);
}
