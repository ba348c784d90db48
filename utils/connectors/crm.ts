import { CRM_CONTRACT } from '../contracts/bundled';
import type { IntegrationContract } from '../contracts/contract';
import { type ConnectorOptions, ContractClient } from './contract-client';
import { connectorOptionsFromEnvironment } from './environment';

export interface CrmCredentials {
  readonly access_token: string;
}

export interface UpsertOptions {
  /** Stable for the business operation, such as the customer.updated event id. */
  readonly idempotencyKey: string;
  readonly correlationId?: string;
}

export interface UpsertedContact {
  readonly id: string;
  /** False when an existing contact was updated. */
  readonly created: boolean;
  readonly attempts: number;
}

/** Contacts in a Salesforce-like CRM, as specs/contracts/crm.yaml describes it. */
export class CrmConnector {
  private readonly client: ContractClient;

  constructor(options: ConnectorOptions<CrmCredentials>, contract: IntegrationContract = CRM_CONTRACT) {
    this.client = new ContractClient(contract, options);
  }

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): CrmConnector {
    return new CrmConnector(connectorOptionsFromEnvironment(CRM_CONTRACT, env));
  }

  /**
   * Creates or updates the contact keyed on External_Id__c, from the output of the customer.to.crm
   * mapping: the external id goes in the path, `attributes` (the sObject type) is the URL's business.
   */
  async upsertContact(
    contact: Readonly<Record<string, unknown>>,
    options: UpsertOptions,
  ): Promise<UpsertedContact> {
    const { attributes: _attributes, External_Id__c: externalId, ...fields } = contact;
    const response = await this.client.call('upsert_contact', {
      pathParams: { external_id: externalId as string },
      body: fields,
      idempotencyKey: options.idempotencyKey,
      correlationId: options.correlationId,
    });
    const result = response.body as { id: string; created: boolean };
    return { id: result.id, created: result.created, attempts: response.attempts };
  }

  /** The contact with this external id, as the CRM keeps it. */
  async getContact(externalId: string, correlationId?: string): Promise<Readonly<Record<string, unknown>>> {
    const response = await this.client.call('get_contact', {
      pathParams: { external_id: externalId },
      correlationId,
    });
    return response.body as Record<string, unknown>;
  }
}
