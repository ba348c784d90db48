import { randomUUID } from 'node:crypto';
import { ANALYTICS_CONTRACT } from '../contracts/bundled';
import type { IntegrationContract } from '../contracts/contract';
import { type ConnectorOptions, ContractClient } from './contract-client';
import { connectorOptionsFromEnvironment } from './environment';

export interface AnalyticsCredentials {
  readonly api_secret: string;
  readonly measurement_id: string;
}

export interface CollectOptions {
  /** Stable for the business operation, such as the order.created event id. */
  readonly idempotencyKey: string;
  readonly correlationId?: string;
}

export interface ValidationMessage {
  readonly fieldPath: string;
  readonly description: string;
  readonly validationCode: string;
}

/** Events for a GA4-like Measurement Protocol, as specs/contracts/analytics.yaml describes it. */
export class AnalyticsConnector {
  private readonly client: ContractClient;

  constructor(
    options: ConnectorOptions<AnalyticsCredentials>,
    contract: IntegrationContract = ANALYTICS_CONTRACT,
  ) {
    this.client = new ContractClient(contract, options);
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): AnalyticsConnector {
    return new AnalyticsConnector(connectorOptionsFromEnvironment(ANALYTICS_CONTRACT, env));
  }

  /**
   * Sends a measurement (the output of the order.to.analytics mapping). GA4 answers 204 to anything,
   * so the contract check before sending is the only one there is.
   */
  async collect(
    measurement: Readonly<Record<string, unknown>>,
    options: CollectOptions,
  ): Promise<{ attempts: number }> {
    const response = await this.client.call('collect', {
      body: measurement,
      idempotencyKey: options.idempotencyKey,
      correlationId: options.correlationId,
    });
    return { attempts: response.attempts };
  }

  /** What GA4's validation server would refuse in a measurement; it records nothing. */
  async validate(measurement: Readonly<Record<string, unknown>>): Promise<readonly ValidationMessage[]> {
    // Validation changes nothing, so any key will do.
    const response = await this.client.call('validate', { body: measurement, idempotencyKey: randomUUID() });
    return (response.body as { validationMessages: ValidationMessage[] }).validationMessages;
  }
}
