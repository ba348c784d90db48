import { AwsEndpoint, serviceOf } from '../../../../local/services/aws-endpoint';
import { jsonResponse, jsonService } from '../../../../local/services/aws-protocol';

const sigv4 = (service: string, region = 'eu-west-1') =>
  `AWS4-HMAC-SHA256 Credential=AKID/20250115/${region}/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

describe('serviceOf', () => {
  it('reads the service and region from the SigV4 credential scope', () => {
    expect(serviceOf({ authorization: sigv4('sqs') }, '/')).toEqual({ service: 'sqs', region: 'eu-west-1' });
  });

  it('falls back to the X-Amz-Target prefix, then the Lambda path', () => {
    expect(serviceOf({ 'x-amz-target': 'AWSEvents.PutEvents' }, '/').service).toBe('events');
    expect(serviceOf({ 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '/').service).toBe('dynamodb');
    expect(serviceOf({ 'x-amz-target': 'secretsmanager.GetSecretValue' }, '/').service).toBe(
      'secretsmanager',
    );
    expect(serviceOf({}, '/2015-03-31/functions/f/invocations').service).toBe('lambda');
    expect(serviceOf({}, '/').service).toBe('');
  });
});

describe('AwsEndpoint', () => {
  const endpoint = new AwsEndpoint('us-east-1');
  let url = '';

  beforeAll(async () => {
    endpoint.register(
      'events',
      jsonService({
        Echo: (input, request) => ({ input, region: request.region }),
      }),
    );
    endpoint.registerPath('/_local', async () => jsonResponse({ local: true }));
    url = await endpoint.start('127.0.0.1', 0);
  });

  afterAll(() => endpoint.stop());

  it('routes a signed JSON-protocol request to its service', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: sigv4('events', 'eu-central-1'),
        'x-amz-target': 'AWSEvents.Echo',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await response.json()).toEqual({ input: { a: 1 }, region: 'eu-central-1' });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.Nope' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.Echo' },
      body: '{oops',
    });
    expect(await response.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('answers a service it does not run with UnknownServiceException', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: sigv4('kinesis') },
      body: '{}',
    });
    expect(await response.json()).toMatchObject({ __type: 'UnknownServiceException' });
  });

  it('answers a body over 20 MB with RequestEntityTooLarge and 413', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.Echo' },
      body: Buffer.alloc(20 * 1024 * 1024 + 1, 32),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ __type: 'RequestEntityTooLarge' });
  });

  it('serves registered path prefixes', async () => {
    expect(await (await fetch(`${url}/_local/anything`)).json()).toEqual({ local: true });
  });
});
