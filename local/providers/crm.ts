import {
  bearerToken,
  isEmailAddress,
  isObject,
  type ProviderReply,
  type ProviderRequest,
  randomAlphanumeric,
} from './http-kit';
import type { ProviderBehaviour } from './sandbox-server';

export interface CrmOptions {
  /** Whether a session token is one the sandbox takes. */
  readonly accepts: (key: string | undefined) => boolean;
  readonly now: () => number;
}

interface SalesforceError {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: readonly string[];
}

type FieldValue = string | number | boolean | null;

interface Contact {
  readonly Id: string;
  readonly External_Id__c: string;
  readonly CreatedDate: string;
  LastModifiedDate: string;
  readonly fields: Record<string, FieldValue>;
}

const NOT_FOUND: SalesforceError = {
  errorCode: 'NOT_FOUND',
  message: 'The requested resource does not exist',
};
/** Fields Salesforce computes: a request may not set them. */
const READ_ONLY = new Set([
  'Id',
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp',
  'IsDeleted',
  'CreatedById',
  'LastModifiedById',
]);
/** Field lengths of the standard Contact fields, as Salesforce enforces them. */
const MAX_LENGTHS: Readonly<Record<string, { readonly label: string; readonly max: number }>> = {
  FirstName: { label: 'First Name', max: 40 },
  LastName: { label: 'Last Name', max: 80 },
  Email: { label: 'Email', max: 80 },
  Phone: { label: 'Business Phone', max: 40 },
  MobilePhone: { label: 'Mobile Phone', max: 40 },
  Title: { label: 'Title', max: 128 },
};
const CONTACT_BY_EXTERNAL_ID = /^\/services\/data\/v\d+\.\d+\/sobjects\/Contact\/External_Id__c\/([^/]+)$/;
const CONTACT_BY_ID =
  /^\/services\/data\/v\d+\.\d+\/sobjects\/Contact\/(003[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)$/;

/** A Salesforce-like REST API for Contact, upserted by the external id field External_Id__c. */
export function crmBehaviour(options: CrmOptions): ProviderBehaviour {
  const byExternalId = new Map<string, Contact>();

  const handle = (request: ProviderRequest): ProviderReply => {
    if (!options.accepts(bearerToken(request.headers))) {
      return errors(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    const path = request.url.pathname.replace(/\/+$/, '');
    const version = /^\/services\/data\/(v\d+\.\d+)\//.exec(path)?.[1] ?? 'v60.0';
    const external = CONTACT_BY_EXTERNAL_ID.exec(path)?.[1];
    if (external !== undefined && request.method === 'PATCH')
      return upsert(request, decodeURIComponent(external));
    if (external !== undefined && request.method === 'GET')
      return show(byExternalId.get(decodeURIComponent(external)), version);
    const id = CONTACT_BY_ID.exec(path)?.[1];
    if (id !== undefined && request.method === 'GET') {
      return show(
        [...byExternalId.values()].find((contact) => contact.Id === id),
        version,
      );
    }
    return errors(404, [NOT_FOUND]);
  };

  const upsert = (request: ProviderRequest, externalId: string): ProviderReply => {
    if (request.body.kind === 'malformed') {
      return errors(400, [
        {
          message: `Unexpected end of input or character in JSON: ${request.body.message}`,
          errorCode: 'JSON_PARSER_ERROR',
        },
      ]);
    }
    const body = request.body.kind === 'json' ? request.body.value : {};
    const existing = byExternalId.get(externalId);
    if (!existing && request.url.searchParams.get('updateOnly') === 'true') return errors(404, [NOT_FOUND]);
    const problems = contactProblems(body, existing !== undefined);
    if (problems.length > 0) return errors(400, problems);
    const given = body as Record<string, FieldValue>;
    const now = new Date(options.now()).toISOString().replace('Z', '+0000');
    if (existing) {
      Object.assign(existing.fields, given);
      existing.LastModifiedDate = now;
      return { status: 200, body: { id: existing.Id, success: true, errors: [], created: false } };
    }
    // Salesforce record ids: a 3-character key prefix (003 for Contact), then 15 characters.
    const contact: Contact = {
      Id: `003${randomAlphanumeric(15)}`,
      External_Id__c: externalId,
      CreatedDate: now,
      LastModifiedDate: now,
      fields: { ...given },
    };
    byExternalId.set(externalId, contact);
    return { status: 201, body: { id: contact.Id, success: true, errors: [], created: true } };
  };

  return {
    name: 'crm',
    handle,
    errorReply: crmFault,
    reset: () => byExternalId.clear(),
  };
}

/** What Salesforce would refuse in a Contact body; LastName is required when the upsert creates. */
function contactProblems(body: unknown, exists: boolean): SalesforceError[] {
  if (!isObject(body)) {
    return [
      {
        message: 'Cannot deserialize instance of Contact from a JSON value that is not an object',
        errorCode: 'JSON_PARSER_ERROR',
      },
    ];
  }
  const readOnly = Object.keys(body).filter((name) => READ_ONLY.has(name));
  if (readOnly.length > 0) {
    return [
      {
        message: `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: readOnly,
      },
    ];
  }
  const problems: SalesforceError[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      problems.push({
        message: `No such column '${name}' on sobject of type Contact`,
        errorCode: 'INVALID_FIELD',
      });
    } else if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      problems.push({
        message: `Cannot deserialize instance of ${name} from an object or array value`,
        errorCode: 'JSON_PARSER_ERROR',
      });
    }
  }
  if (problems.length > 0) return problems;
  const lastName = body.LastName;
  const blank = lastName === null || (typeof lastName === 'string' && lastName.trim() === '');
  if ((!exists && lastName === undefined) || blank) {
    problems.push({
      message: 'Required fields are missing: [LastName]',
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['LastName'],
    });
  }
  if (body.Email !== undefined && body.Email !== null && body.Email !== '' && !isEmailAddress(body.Email)) {
    problems.push({
      message: `Email: invalid email address: ${String(body.Email)}`,
      errorCode: 'INVALID_EMAIL_ADDRESS',
      fields: ['Email'],
    });
  }
  for (const [name, { label, max }] of Object.entries(MAX_LENGTHS)) {
    const value = body[name];
    if (typeof value === 'string' && value.length > max) {
      problems.push({
        message: `${label}: data value too large: ${value.slice(0, 20)}… (max length=${max})`,
        errorCode: 'STRING_TOO_LONG',
        fields: [name],
      });
    }
  }
  return problems;
}

function show(contact: Contact | undefined, version: string): ProviderReply {
  if (!contact) return errors(404, [NOT_FOUND]);
  return {
    status: 200,
    body: {
      attributes: { type: 'Contact', url: `/services/data/${version}/sobjects/Contact/${contact.Id}` },
      Id: contact.Id,
      External_Id__c: contact.External_Id__c,
      ...contact.fields,
      CreatedDate: contact.CreatedDate,
      LastModifiedDate: contact.LastModifiedDate,
    },
  };
}

function errors(status: number, list: readonly SalesforceError[]): ProviderReply {
  return { status, body: list };
}

/** Injected failures with the error codes Salesforce uses for them. */
function crmFault(status: number): ProviderReply {
  if (status === 413)
    return errors(413, [
      { message: 'Request body exceeds the 1 MB limit', errorCode: 'REQUEST_ENTITY_TOO_LARGE' },
    ]);
  if (status === 429 || status === 403) {
    return errors(status, [
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
  }
  if (status === 503) {
    return errors(503, [
      {
        message: 'Server is unavailable for maintenance or overloaded (sandbox fault).',
        errorCode: 'SERVER_UNAVAILABLE',
      },
    ]);
  }
  return errors(status, [
    {
      message: `An unexpected error occurred (sandbox fault, status ${status}).`,
      errorCode: 'UNKNOWN_EXCEPTION',
    },
  ]);
}
