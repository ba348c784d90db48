import { matchRoute } from '../../../../local/apigateway/router';
import type { RestApiSpec } from '../../../../local/template/topology-types';
import { apiMethod } from '../../../fixtures/local-services/rest-api';

const api = {
  paths: new Map([
    ['root', '/'],
    ['v1', '/v1'],
    ['orders', '/v1/orders'],
    ['order', '/v1/orders/{orderId}'],
    ['latest', '/v1/orders/latest'],
    ['files', '/files/{proxy+}'],
  ]),
  methods: [
    apiMethod('orders', 'POST'),
    apiMethod('orders', 'GET'),
    apiMethod('order', 'GET'),
    apiMethod('latest', 'GET'),
    apiMethod('files', 'ANY'),
    apiMethod('root', 'GET'),
  ],
} as unknown as RestApiSpec;

describe('matchRoute', () => {
  it('matches a literal path and its method', () => {
    expect(matchRoute(api, '/v1/orders', 'POST')).toMatchObject({
      resourcePath: '/v1/orders',
      pathParameters: {},
    });
  });

  it('binds path variables, decoded', () => {
    expect(matchRoute(api, '/v1/orders/ord%2D1', 'GET')).toMatchObject({
      resourcePath: '/v1/orders/{orderId}',
      pathParameters: { orderId: 'ord-1' },
    });
  });

  it('prefers a literal segment over a variable', () => {
    expect(matchRoute(api, '/v1/orders/latest', 'GET')?.resourcePath).toBe('/v1/orders/latest');
  });

  it('gives a greedy variable the rest of the path, for any method', () => {
    expect(matchRoute(api, '/files/a/b/c.txt', 'DELETE')).toMatchObject({
      resourcePath: '/files/{proxy+}',
      pathParameters: { proxy: 'a/b/c.txt' },
    });
  });

  it('matches the root', () => {
    expect(matchRoute(api, '/', 'GET')?.resourcePath).toBe('/');
  });

  it.each([
    ['an unknown path', '/v2/orders', 'GET'],
    ['a method the resource does not have', '/v1/orders', 'DELETE'],
    ['a resource without methods', '/v1', 'GET'],
    ['a path longer than any template', '/v1/orders/1/items', 'GET'],
  ])('finds nothing for %s', (_, path, httpMethod) => {
    expect(matchRoute(api, path, httpMethod)).toBeUndefined();
  });
});
