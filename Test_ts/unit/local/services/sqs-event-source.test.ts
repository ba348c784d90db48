import { failedMessageIds, toSqsRecord } from '../../../../local/services/sqs-event-source';

const ARN = 'arn:aws:sqs:us-east-1:000000000000:orders';

describe('toSqsRecord', () => {
  it('shapes a received message as Lambda hands it to the function', () => {
    const record = toSqsRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: 'hello',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1736935200000' },
        MessageAttributes: { 'junction.error_code': { DataType: 'String', StringValue: 'X' } },
      },
      ARN,
      'us-east-1',
    );
    expect(record).toMatchObject({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: 'hello',
      attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1736935200000' },
      messageAttributes: { 'junction.error_code': { dataType: 'String', stringValue: 'X' } },
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'us-east-1',
    });
  });
});

describe('failedMessageIds', () => {
  const records = ['a', 'b', 'c'].map((id) =>
    toSqsRecord({ MessageId: id, ReceiptHandle: id, Body: '' }, ARN, 'us-east-1'),
  );

  it('takes the reported failures', () => {
    expect([...failedMessageIds({ batchItemFailures: [{ itemIdentifier: 'b' }] }, records)]).toEqual(['b']);
  });

  it('treats an empty report or no report as all succeeded', () => {
    expect(failedMessageIds({ batchItemFailures: [] }, records).size).toBe(0);
    expect(failedMessageIds(null, records).size).toBe(0);
    expect(failedMessageIds({}, records).size).toBe(0);
  });

  it.each([
    ['an unknown id', { batchItemFailures: [{ itemIdentifier: 'zzz' }] }],
    ['a missing id', { batchItemFailures: [{}] }],
    ['a report that is not a list', { batchItemFailures: 'b' }],
  ])('fails the whole batch for a malformed report: %s', (_, payload) => {
    expect(failedMessageIds(payload, records).size).toBe(3);
  });
});
