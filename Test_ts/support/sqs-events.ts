import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { sampleJson } from './api-events';

/** A record of the sample analytics batch, with its body or receive count replaced. */
export function sqsRecord(
  overrides: { body?: string; receiveCount?: number; messageId?: string } = {},
): SQSRecord {
  const [base] = sampleJson<SQSEvent>('sqs/analytics-batch.json').Records;
  if (!base) throw new Error('events/sqs/analytics-batch.json has no records');
  return {
    ...base,
    messageId: overrides.messageId ?? base.messageId,
    body: overrides.body ?? base.body,
    attributes: { ...base.attributes, ApproximateReceiveCount: String(overrides.receiveCount ?? 1) },
  };
}

export function sqsBatch(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}
