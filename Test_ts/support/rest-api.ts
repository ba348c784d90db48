import type { Stack } from 'aws-cdk-lib';
import { Period, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { IntegrationApi } from '../../lib/edge/integration-api';

/** A REST API with one mock method, the least API Gateway will deploy. */
export function bareRestApi(stack: Stack): RestApi {
  const api = new RestApi(stack, 'Rest', { cloudWatchRole: false });
  api.root.addMethod('GET');
  return api;
}

/** An IntegrationApi on the dev stage with one partner client (orders/write) and the given scopes. */
export function partnerApi(
  stack: Stack,
  resourceServers: Record<string, Record<string, string>> = { orders: { write: 'Create orders' } },
): IntegrationApi {
  return new IntegrationApi(stack, 'Api', {
    stageName: 'dev',
    throttle: { rateLimit: 50, burstLimit: 100 },
    wafRateLimitPer5Minutes: 1000,
    resourceServers,
    clients: {
      partner: {
        rateLimit: 10,
        burstLimit: 20,
        quota: { limit: 100, period: Period.DAY },
        scopes: ['orders/write'],
      },
    },
  });
}
