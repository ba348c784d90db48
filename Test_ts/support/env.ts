// The environment every test starts from: a region and placeholder credentials so that SDK
// clients never look for real ones, and quiet Powertools output.
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-key';
process.env.POWERTOOLS_SERVICE_NAME ??= 'junction-test';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'Junction';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
