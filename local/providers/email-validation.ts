import { isEmailAddress, isObject } from './http-kit';

export interface SendGridError {
  readonly message: string;
  readonly field: string | null;
}

/** A v3 mail/send request that passed validation. */
export interface MailRequest {
  readonly personalizations: readonly {
    readonly to: readonly { readonly email: string }[];
    readonly cc?: readonly { readonly email: string }[];
    readonly bcc?: readonly { readonly email: string }[];
  }[];
  readonly from: { readonly email: string };
  readonly subject?: string;
}

const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;

/** Every problem SendGrid would report for a v3 mail/send body (it lists them all, not just the first). */
export function validateMail(body: unknown): SendGridError[] {
  if (!isObject(body)) return [{ message: 'Bad Request', field: null }];
  const hasTemplate = typeof body.template_id === 'string' && body.template_id !== '';
  const errors = [...personalizationErrors(body.personalizations), ...fromErrors(body.from)];
  const everyPersonalizationHasSubject =
    Array.isArray(body.personalizations) &&
    body.personalizations.length > 0 &&
    body.personalizations.every((p) => isObject(p) && typeof p.subject === 'string' && p.subject !== '');
  if (
    !hasTemplate &&
    !everyPersonalizationHasSubject &&
    !(typeof body.subject === 'string' && body.subject !== '')
  ) {
    errors.push({
      message:
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
      field: 'subject',
    });
  }
  if (!hasTemplate) errors.push(...contentErrors(body.content));
  return errors;
}

function personalizationErrors(value: unknown): SendGridError[] {
  if (!Array.isArray(value) || value.length === 0) {
    return [
      {
        message: 'The personalizations field is required and must have at least one personalization.',
        field: 'personalizations',
      },
    ];
  }
  if (value.length > MAX_PERSONALIZATIONS) {
    return [
      {
        message: `The personalization block is limited to ${MAX_PERSONALIZATIONS} personalizations per API request. You have provided ${value.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
        field: 'personalizations',
      },
    ];
  }
  const errors: SendGridError[] = [];
  let recipients = 0;
  value.forEach((personalization: unknown, index) => {
    const at = `personalizations.${index}`;
    if (!isObject(personalization) || !Array.isArray(personalization.to) || personalization.to.length === 0) {
      errors.push({
        message:
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
        field: `${at}.to`,
      });
      return;
    }
    const seen = new Set<string>();
    for (const list of ['to', 'cc', 'bcc'] as const) {
      const entries = personalization[list];
      if (entries === undefined) continue;
      if (!Array.isArray(entries)) {
        errors.push({
          message: `The ${list} parameter must be an array of email objects.`,
          field: `${at}.${list}`,
        });
        continue;
      }
      recipients += entries.length;
      errors.push(...recipientErrors(entries, `${at}.${list}`, at, seen));
    }
  });
  if (recipients > MAX_RECIPIENTS) {
    errors.push({
      message: 'There is a limit of 1000 total recipients (to + cc + bcc) per request.',
      field: 'personalizations',
    });
  }
  return errors;
}

function recipientErrors(
  entries: readonly unknown[],
  path: string,
  at: string,
  seen: Set<string>,
): SendGridError[] {
  const errors: SendGridError[] = [];
  entries.forEach((entry, index) => {
    const email = isObject(entry) ? entry.email : undefined;
    if (!isEmailAddress(email)) {
      errors.push({ message: 'Does not contain a valid address.', field: `${path}.${index}.email` });
      return;
    }
    const normalised = email.toLowerCase();
    if (seen.has(normalised)) {
      errors.push({
        message: `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${email}] in the ${path} field.`,
        field: at,
      });
    }
    seen.add(normalised);
  });
  return errors;
}

function fromErrors(from: unknown): SendGridError[] {
  if (!isObject(from) || from.email === undefined) {
    return [
      {
        message:
          'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.  e.g. {"email" : "example@example.com"}  or {"email" : "example@example.com", "name" : "Example Recipient"}.',
        field: 'from.email',
      },
    ];
  }
  return isEmailAddress(from.email)
    ? []
    : [{ message: 'The from email does not contain a valid address.', field: 'from.email' }];
}

function contentErrors(content: unknown): SendGridError[] {
  if (!Array.isArray(content) || content.length === 0) {
    return [
      {
        message:
          'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
        field: 'content',
      },
    ];
  }
  const errors: SendGridError[] = [];
  content.forEach((block: unknown, index) => {
    const type = isObject(block) ? block.type : undefined;
    const value = isObject(block) ? block.value : undefined;
    if (typeof type !== 'string' || type === '' || /[;\r\n]/.test(type)) {
      errors.push({
        message: "The content type cannot contain ';', or CRLF characters.",
        field: `content.${index}.type`,
      });
    }
    if (typeof value !== 'string' || value === '') {
      errors.push({
        message: 'The content value must be a string at least one character in length.',
        field: `content.${index}.value`,
      });
    }
  });
  const plainIndex = content.findIndex((block) => isObject(block) && block.type === 'text/plain');
  if (plainIndex > 0) {
    errors.push({
      message: 'If present, text/plain must be first, followed by text/html, followed by any other content.',
      field: 'content',
    });
  }
  return errors;
}

/** Every address the message goes to, for bounce simulation. */
export function recipientsOf(mail: MailRequest): string[] {
  return mail.personalizations.flatMap((p) =>
    [...p.to, ...(p.cc ?? []), ...(p.bcc ?? [])].map((r) => r.email),
  );
}
