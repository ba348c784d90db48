import { SqsService } from '../../../../local/services/sqs-service';
import { jsonProtocolRequest, textOf } from '../../../fixtures/local-services/aws-request';

const PUBLIC = 'http://127.0.0.1:4566';
const q = (name: string, extra = {}) => ({ logicalId: name, name, url: `${PUBLIC}/000000000000/${name}`, arn: `arn:aws:sqs:us-east-1:000000000000:${name}`, attributes: {}, ...extra });
it('scratch', async () => {
  const service = await SqsService.start({ region: 'us-east-1', publicBase: PUBLIC, timeScale: 1, queues: [q('a'), q('a-dlq')] });
  const call = (op: string, input: unknown) => service.handler(jsonProtocolRequest({ service: 'sqs', target: `AmazonSQS.${op}`, input, contentType: 'application/x-amz-json-1.0' }));
  for (const [op, input] of [
    ['GetQueueUrl', { QueueName: 'a' }],
    ['ListQueues', {}],
    ['SendMessage', { QueueUrl: `${PUBLIC}/000000000000/a`, MessageBody: 'see https://cdn.example/202501151000/a.png', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }],
    ['ReceiveMessage', { QueueUrl: `${PUBLIC}/000000000000/a`, MessageAttributeNames: ['All'], AttributeNames: ['All'] }],
    ['GetQueueAttributes', { QueueUrl: `${PUBLIC}/000000000000/a`, AttributeNames: ['All'] }],
    ['SendMessage', { QueueUrl: `${PUBLIC}/000000000000/nope`, MessageBody: 'x' }],
  ] as const) {
    const a = await call(op, input);
    console.log(op, a.status, JSON.stringify(a.headers), textOf(a));
  }
  console.log(JSON.stringify(service.peek('a')), JSON.stringify(service.states()));
  await service.stop();
});
