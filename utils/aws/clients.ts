import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { tracer } from '../observability/powertools';

/** Creates a client on first use and keeps it for the life of the execution environment. */
function once<T>(create: () => T): () => T {
  let instance: T | undefined;
  return () => {
    instance ??= create();
    return instance;
  };
}

// Clients take region, credentials and endpoint (AWS_ENDPOINT_URL_*) from the environment.
export const eventBridgeClient = once(() => tracer.captureAWSv3Client(new EventBridgeClient({})));
export const dynamoDbClient = once(() => tracer.captureAWSv3Client(new DynamoDBClient({})));
export const sqsClient = once(() => tracer.captureAWSv3Client(new SQSClient({})));
export const secretsManagerClient = once(() => tracer.captureAWSv3Client(new SecretsManagerClient({})));
export const sfnClient = once(() => tracer.captureAWSv3Client(new SFNClient({})));
