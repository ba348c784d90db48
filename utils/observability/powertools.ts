import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { redactingReplacer } from './redaction';

/**
 * One Logger, Tracer and Metrics per function. Service name, namespace and log level come from
 * the POWERTOOLS_* environment that IntegrationFunction sets.
 */
export const logger = new Logger({ jsonReplacerFn: redactingReplacer });
export const tracer = new Tracer();
export const metrics = new Metrics();
