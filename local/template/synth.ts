import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { createJunctionApp } from '../../lib/junction-app';

const PROJECT_ROOT = path.join(__dirname, '..', '..');

export interface SynthOptions {
  /** Where the cloud assembly is written. */
  readonly outdir: string;
  /** Context on top of cdk.json's (for example `{ stage: 'dev' }`). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Builds the app. @default Junction, exactly as `cdk synth` builds it */
  readonly build?: (app: App) => void;
}

/**
 * Synthesizes the app in-process, with cdk.json's context, the way the CDK CLI does
 * (bundling, cdk-nag and all): the local cloud runs the very template that deploys.
 */
export function synthesize(options: SynthOptions): string {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({
    outdir: options.outdir,
    context: { ...cdkJson.context, 'aws:cdk:enable-asset-metadata': true, ...options.context },
  });
  (options.build ?? ((target: App) => createJunctionApp(target)))(app);
  return app.synth().directory;
}
