/** The scalar notations of an integration contract: durations (`30s`) and rate limits (`100/min`). */

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000 } as const;

/** Milliseconds for `250ms`, `30s`, `1.5s`, `2m`; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS]);
}

export interface RateLimit {
  /** As written in the contract, for messages. */
  readonly text: string;
  readonly perSecond: number;
  /** How many calls may go at once after a quiet spell: the count of one window. */
  readonly burst: number;
}

const RATE = /^(\d+)\/(s|sec|min|h)$/;
const WINDOW_SECONDS = { s: 1, sec: 1, min: 60, h: 3600 } as const;

/** `100/min` → 100 calls a minute; undefined for anything else (a zero rate included). */
export function parseRateLimit(text: string): RateLimit | undefined {
  const match = RATE.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  if (count <= 0) return undefined;
  return { text, perSecond: count / WINDOW_SECONDS[match[2] as keyof typeof WINDOW_SECONDS], burst: count };
}
