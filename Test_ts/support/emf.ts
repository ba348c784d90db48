import { captureStdout } from './stdout';

/** Captures the CloudWatch EMF records Powertools Metrics writes to stdout. */
export interface EmfCapture {
  /** The values of a metric, in the order they were emitted. */
  metricValues(name: string): number[];
  /** The whole EMF records (dimensions included) that carry a metric. */
  records(name: string): Record<string, unknown>[];
  restore(): void;
}

export function captureEmf(): EmfCapture {
  const stdout = captureStdout();
  const records = (name: string) => stdout.json().filter((record) => '_aws' in record && name in record);
  return {
    records,
    metricValues: (name) => records(name).map((record) => Number(record[name])),
    restore: () => stdout.restore(),
  };
}
