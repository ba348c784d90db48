import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRIC_NAMES } from '../observability/metric-names';
import { logger, metrics } from '../observability/powertools';
import { redactText } from '../observability/redaction';
import { applyTraceKeys, keysOfQueuedBody } from '../observability/trace-keys';
import { InvalidEventError } from './errors';

export interface DeadLetterTarget {
  /** The queue's own DLQ. */
  readonly queueUrl: string;
  /** The queue's redrive `maxReceiveCount`: the last receive on which a record may fail. */
  readonly maxReceiveCount: number;
  readonly client: SQSClient;
}

const MAX_REASON_MESSAGE = 1000;

/** Why a record was dead-lettered: what `dlq peek` shows an operator. */
export interface DeadLetterReason {
  readonly error_code: string;
  readonly error_message: string;
  readonly message_id: string;
  readonly receive_count: number;
  readonly source_queue_arn: string;
  readonly function_name: string;
  readonly failed_at: string;
}

function reasonFor(
  record: SQSRecord,
  receiveCount: number,
  error: unknown,
  context: Context,
): DeadLetterReason {
  const code =
    error instanceof InvalidEventError ? error.code : error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return {
    error_code: code,
    error_message: redactText(message).slice(0, MAX_REASON_MESSAGE),
    message_id: record.messageId,
    receive_count: receiveCount,
    source_queue_arn: record.eventSourceARN,
    function_name: context.functionName,
    failed_at: new Date().toISOString(),
  };
}

function carriedAttributes(record: SQSRecord): Record<string, MessageAttributeValue> {
  const carried: Record<string, MessageAttributeValue> = {};
  // SQS allows 10 attributes; two are the reason, so at most eight of the original travel with it.
  for (const [name, value] of Object.entries(record.messageAttributes).slice(0, 8)) {
    carried[name] = {
      DataType: value.dataType,
      ...(value.stringValue === undefined ? {} : { StringValue: value.stringValue }),
      ...(value.binaryValue === undefined ? {} : { BinaryValue: Buffer.from(value.binaryValue, 'base64') }),
    };
  }
  return carried;
}

async function sendToDeadLetter(record: SQSRecord, reason: DeadLetterReason, target: DeadLetterTarget) {
  await target.client.send(
    new SendMessageCommand({
      QueueUrl: target.queueUrl,
      MessageBody: record.body,
      // The message keeps its own trace into the DLQ, and back out on a redrive.
      ...(record.attributes.AWSTraceHeader
        ? {
            MessageSystemAttributes: {
              AWSTraceHeader: { DataType: 'String', StringValue: record.attributes.AWSTraceHeader },
            },
          }
        : {}),
      MessageAttributes: {
        ...carriedAttributes(record),
        'junction.error_code': { DataType: 'String', StringValue: reason.error_code },
        'junction.dead_letter_reason': { DataType: 'String', StringValue: JSON.stringify(reason) },
      },
    }),
  );
  const arrivals = metrics.singleMetric();
  arrivals.addDimension('error_type', reason.error_code);
  arrivals.addMetric(METRIC_NAMES.deadLettered, MetricUnit.Count, 1);
  logger.error('Message dead-lettered', { dead_letter_reason: reason });
}

/**
 * Processes an SQS batch record by record with partial batch failure reporting. A record that
 * can never succeed (an invalid event), or that fails on its last allowed receive, goes to the
 * DLQ at once with its reason; any other failure is reported so SQS redelivers only that record.
 * If the DLQ cannot be reached the record is reported failed, and the queue's redrive policy
 * remains the backstop: nothing accepted is lost.
 */
export async function consumeQueueBatch(
  event: SQSEvent,
  context: Context,
  handleRecord: (record: SQSRecord) => Promise<void>,
  deadLetter: DeadLetterTarget,
): Promise<SQSBatchResponse> {
  const processRecord = async (record: SQSRecord) => {
    // Records run one after another, so each one's log lines carry its own keys.
    const keys = keysOfQueuedBody(record.body);
    const removeKeys = keys ? applyTraceKeys(keys) : () => {};
    try {
      await handleRecord(record);
    } catch (error) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      if (error instanceof InvalidEventError || receiveCount >= deadLetter.maxReceiveCount) {
        await sendToDeadLetter(record, reasonFor(record, receiveCount, error, context), deadLetter);
        return;
      }
      logger.warn('Message failed; SQS will redeliver it', {
        message_id: record.messageId,
        receive_count: receiveCount,
        error,
      });
      throw error;
    } finally {
      removeKeys();
    }
  };
  return processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });
}
