import {
  dynamoDbClient,
  eventBridgeClient,
  secretsManagerClient,
  sfnClient,
  sqsClient,
} from '../../../utils/aws/clients';

describe('AWS clients', () => {
  it('are created once per execution environment', () => {
    expect(eventBridgeClient()).toBe(eventBridgeClient());
    expect(dynamoDbClient()).toBe(dynamoDbClient());
    expect(sqsClient()).toBe(sqsClient());
    expect(secretsManagerClient()).toBe(secretsManagerClient());
    expect(sfnClient()).toBe(sfnClient());
  });
});
