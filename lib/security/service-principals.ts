import { Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * An AWS service acting for this account only: key and resource policies that name it cannot be
 * used by the same service on behalf of another account (the confused-deputy guard).
 */
export function serviceForThisAccount(scope: Construct, service: string): ServicePrincipal {
  return new ServicePrincipal(service, {
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  });
}
