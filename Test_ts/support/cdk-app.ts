import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';

const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

/** The feature flags and defaults from cdk.json, so tests synthesize what `cdk synth` does. */
export const projectContext = cdkJson.context;

export interface TestAppOptions {
  /** Extra context (for example `{ stage: 'prod' }`). */
  readonly context?: Record<string, unknown>;
  /** Run esbuild for NodejsFunction assets. Off by default: construct tests do not need bundles. */
  readonly bundle?: boolean;
}

export function testApp(options: TestAppOptions = {}): App {
  return new App({
    context: {
      ...projectContext,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
}
