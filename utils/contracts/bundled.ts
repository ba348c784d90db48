import analytics from '../../specs/contracts/analytics.json';
import crm from '../../specs/contracts/crm.json';
import email from '../../specs/contracts/email.json';
import payment from '../../specs/contracts/payment.json';
import { contractFromDocument } from './contract';

/**
 * The contracts as Lambda bundles see them: built from the JSON twins of the YAML files (see
 * bundle.ts), which esbuild inlines. Checked once per execution environment; errors name the YAML.
 */
export const PAYMENT_CONTRACT = contractFromDocument(payment, 'specs/contracts/payment.yaml');
export const EMAIL_CONTRACT = contractFromDocument(email, 'specs/contracts/email.yaml');
export const CRM_CONTRACT = contractFromDocument(crm, 'specs/contracts/crm.yaml');
export const ANALYTICS_CONTRACT = contractFromDocument(analytics, 'specs/contracts/analytics.yaml');
