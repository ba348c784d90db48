import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadContracts } from '../utils/contracts/load';
import { loadMappingSpecs } from '../utils/mapping/load';
import { acknowledgeNagFindings } from './compliance/nag-acknowledgements';
import { resolveStageConfig } from './config/stages';
import { JunctionStack } from './junction-stack';

export interface JunctionAppOptions {
  /** The mapping specs checked before anything is built. @default specs/mappings */
  readonly mappingSpecsDir?: string;
  /** The integration contracts checked before anything is built. @default specs/contracts */
  readonly contractsDir?: string;
}

/**
 * Builds Junction in `app` for the stage given by `-c stage=…` (dev by default), and runs the
 * AwsSolutions and Serverless cdk-nag packs on every synth. Every mapping spec is compiled and
 * type-checked, and every integration contract validated, first: a broken one fails the synth
 * with its file and location.
 */
export function createJunctionApp(app: App, options: JunctionAppOptions = {}): JunctionStack {
  loadMappingSpecs(options.mappingSpecsDir);
  loadContracts(options.contractsDir);
  const stage = resolveStageConfig(app.node.tryGetContext('stage'));
  const stack = new JunctionStack(app, `Junction-${stage.name}`, {
    stage,
    description: `Junction serverless integration stack (${stage.name})`,
    tags: { project: 'junction', stage: stage.name },
  });
  acknowledgeNagFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return stack;
}
