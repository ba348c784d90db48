import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type TestAppOptions, testApp } from './cdk-app';

/** An empty stack in a test app carrying the project's feature flags. */
export function testStack(options: TestAppOptions = {}): Stack {
  return new Stack(testApp(options), 'TestStack');
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}
