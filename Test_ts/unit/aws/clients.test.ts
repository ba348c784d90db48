import {
  dynamoDbClient,
  eventBridgeClient,
  secretsManagerClient,
  sqsClient,
} from '../../../utils/aws/clients';

describe('AWS clients', () => {
  it('are created once per execution environment', () => {
    expect(eventBridgeClient()).toBe(eventBridgeClient());
    expect(dynamoDbClient()).toBe(dynamoDbClient());
    expect(sqsClient()).toBe(sqsClient());
    expect(secretsManagerClient()).toBe(secretsManagerClient());
  });
});
