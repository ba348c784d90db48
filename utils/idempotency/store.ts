import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClient } from '../aws/clients';

/** Powertools' DynamoDB persistence, on the IdempotencyStore table (key `id`, TTL `expiration`). */
export function dynamoDbPersistence(tableName: string, client: DynamoDBClient = dynamoDbClient()) {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
}
