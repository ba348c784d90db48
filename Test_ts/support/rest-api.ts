import type { Stack } from 'aws-cdk-lib';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';

/** A REST API with one mock method, the least API Gateway will deploy. */
export function bareRestApi(stack: Stack): RestApi {
  const api = new RestApi(stack, 'Rest', { cloudWatchRole: false });
  api.root.addMethod('GET');
  return api;
}
