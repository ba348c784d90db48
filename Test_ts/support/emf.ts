/** Captures the CloudWatch EMF lines Powertools Metrics writes to stdout. */
export function captureEmf(): { metricValues(name: string): number[]; restore(): void } {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) if (line.includes('"_aws"')) lines.push(line);
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  return {
    metricValues(name) {
      return lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((record) => name in record)
        .map((record) => Number(record[name]));
    },
    restore() {
      process.stdout.write = original;
    },
  };
}
