/** Captures what is written to stdout (Powertools logs and EMF metrics), one entry per line, instead of printing it. */
export interface StdoutCapture {
  readonly lines: string[];
  /** The lines that are JSON objects, parsed. */
  json(): Record<string, unknown>[];
  restore(): void;
}

export function captureStdout(): StdoutCapture {
  return captureStream(process.stdout);
}

/** The same for stderr, where Powertools Logger writes WARN and ERROR lines. */
export function captureStderr(): StdoutCapture {
  return captureStream(process.stderr);
}

function captureStream(stream: NodeJS.WriteStream): StdoutCapture {
  const lines: string[] = [];
  const original = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof stream.write;
  return {
    lines,
    json: () =>
      lines.flatMap((line) => {
        try {
          const parsed: unknown = JSON.parse(line);
          return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
    restore() {
      stream.write = original;
    },
  };
}
