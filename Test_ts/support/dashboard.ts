import { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import { templateOf, testStack } from './stacks';

/** The JSON body of a dashboard built in a test stack, with its region reference filled in. */
export function dashboardBody(
  build: (stack: ReturnType<typeof testStack>) => ConstructorParameters<typeof Dashboard>[2],
) {
  const stack = testStack();
  new Dashboard(stack, 'Dashboard', build(stack));
  const [resource] = Object.values(templateOf(stack).findResources('AWS::CloudWatch::Dashboard'));
  if (!resource) throw new Error('no dashboard in the template');
  // The body is a Fn::Join of text around { Ref: AWS::Region }; put the text back together.
  const [, parts] = resource.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
  return parts.map((part) => (typeof part === 'string' ? part : 'region')).join('');
}
