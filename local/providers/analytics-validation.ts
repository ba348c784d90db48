import { isObject } from './http-kit';
import type { AnalyticsValidationMessage } from './types';

/** GA4 Measurement Protocol limits. */
const MAX_EVENTS = 25;
const MAX_PARAMS = 25;
const MAX_NAME = 40;
const MAX_PARAM_VALUE = 100;
const MAX_USER_PROPERTIES = 25;
const MAX_USER_PROPERTY_NAME = 24;
const MAX_USER_PROPERTY_VALUE = 36;
const MAX_ITEMS = 200;
const MAX_REQUEST_BYTES = 130 * 1024;

const RESERVED_EVENTS = new Set([
  'ad_activeview',
  'ad_click',
  'ad_exposure',
  'ad_impression',
  'ad_query',
  'ad_reward',
  'adunit_exposure',
  'app_background',
  'app_clear_data',
  'app_exception',
  'app_install',
  'app_remove',
  'app_store_refund',
  'app_update',
  'app_upgrade',
  'dynamic_link_app_open',
  'dynamic_link_app_update',
  'dynamic_link_first_open',
  'error',
  'first_open',
  'first_visit',
  'in_app_purchase',
  'notification_dismiss',
  'notification_foreground',
  'notification_open',
  'notification_receive',
  'notification_send',
  'os_update',
  'session_start',
  'session_start_with_rollout',
  'user_engagement',
]);
const RESERVED_USER_PROPERTIES = new Set([
  'first_open_time',
  'first_visit_time',
  'last_deep_link_referrer',
  'user_id',
  'first_open_after_install',
]);
const RESERVED_PARAMS = new Set(['firebase_conversion']);
const RESERVED_PREFIXES = ['firebase_', 'ga_', 'google_', 'gtag.'];

type Messages = AnalyticsValidationMessage[];

const message = (
  fieldPath: string,
  validationCode: string,
  description: string,
): AnalyticsValidationMessage => ({
  fieldPath,
  description,
  validationCode,
});

export interface CollectContext {
  readonly measurementId: string | null;
  readonly apiSecretMatches: boolean;
  readonly bodyBytes: number;
}

/** What GA4's validation server reports for a payload, plus the sandbox's own check of api_secret. */
export function validateCollect(body: unknown, context: CollectContext): Messages {
  const messages: Messages = [];
  if (!context.measurementId) {
    messages.push(
      message('measurement_id', 'VALUE_REQUIRED', 'Measurement requires a measurement_id query parameter.'),
    );
  }
  // GA4's own validation server does not check api_secret; the sandbox does, so that tests see a wrong one.
  if (!context.apiSecretMatches) {
    messages.push(
      message(
        'api_secret',
        'VALUE_INVALID',
        'The api_secret does not match the secret configured for this data stream.',
      ),
    );
  }
  if (context.bodyBytes > MAX_REQUEST_BYTES) {
    messages.push(
      message('', 'VALUE_OUT_OF_BOUNDS', `The request body must be at most ${MAX_REQUEST_BYTES} bytes.`),
    );
  }
  if (!isObject(body)) {
    messages.push(message('', 'VALUE_INVALID', 'The request body must be a JSON object.'));
    return messages;
  }
  if (!nonEmptyString(body.client_id) && !nonEmptyString(body.app_instance_id)) {
    messages.push(message('client_id', 'VALUE_REQUIRED', 'Measurement requires a client_id.'));
  }
  if (body.timestamp_micros !== undefined && !/^\d+$/.test(String(body.timestamp_micros))) {
    messages.push(
      message(
        'timestamp_micros',
        'VALUE_INVALID',
        'timestamp_micros must be a whole number of microseconds.',
      ),
    );
  }
  messages.push(...eventMessages(body.events), ...userPropertyMessages(body.user_properties));
  return messages;
}

function eventMessages(events: unknown): Messages {
  if (!Array.isArray(events) || events.length === 0) {
    return [message('events', 'VALUE_REQUIRED', 'Measurement requires at least one event.')];
  }
  if (events.length > MAX_EVENTS) {
    return [
      message(
        'events',
        'EXCEEDED_MAX_ENTITIES',
        `A maximum of ${MAX_EVENTS} events can be specified per request.`,
      ),
    ];
  }
  return events.flatMap((event: unknown, index) => {
    if (!isObject(event))
      return [message('events', 'VALUE_INVALID', `Event at index: [${index}] must be an object.`)];
    const name = event.name;
    if (!nonEmptyString(name))
      return [message('events', 'VALUE_REQUIRED', `Event at index: [${index}] has no name.`)];
    const nameProblem = nameMessage('events', `Event at index: [${index}]`, name, MAX_NAME, RESERVED_EVENTS);
    return [...(nameProblem ? [nameProblem] : []), ...paramMessages(event.params, index)];
  });
}

function paramMessages(params: unknown, eventIndex: number): Messages {
  if (params === undefined) return [];
  const path = `events[${eventIndex}].params`;
  if (!isObject(params)) return [message(path, 'VALUE_INVALID', 'Event params must be an object.')];
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMS) {
    return [
      message(
        path,
        'EXCEEDED_MAX_ENTITIES',
        `A maximum of ${MAX_PARAMS} parameters can be specified per event.`,
      ),
    ];
  }
  return entries.flatMap(([name, value]) => {
    const nameProblem = nameMessage(path, `Event param [${name}]`, name, MAX_NAME, RESERVED_PARAMS);
    if (nameProblem) return [nameProblem];
    if (name === 'items') {
      return Array.isArray(value) && value.length <= MAX_ITEMS
        ? []
        : [
            message(
              `${path}.items`,
              'VALUE_INVALID',
              `items must be an array of at most ${MAX_ITEMS} objects.`,
            ),
          ];
    }
    return valueMessages(`${path}.${name}`, value, MAX_PARAM_VALUE);
  });
}

function userPropertyMessages(properties: unknown): Messages {
  if (properties === undefined) return [];
  if (!isObject(properties))
    return [message('user_properties', 'VALUE_INVALID', 'user_properties must be an object.')];
  const entries = Object.entries(properties);
  if (entries.length > MAX_USER_PROPERTIES) {
    return [
      message(
        'user_properties',
        'EXCEEDED_MAX_ENTITIES',
        `A maximum of ${MAX_USER_PROPERTIES} user properties can be specified.`,
      ),
    ];
  }
  return entries.flatMap(([name, property]) => {
    const nameProblem = nameMessage(
      'user_properties',
      `User property [${name}]`,
      name,
      MAX_USER_PROPERTY_NAME,
      RESERVED_USER_PROPERTIES,
    );
    if (nameProblem) return [nameProblem];
    const value = isObject(property) ? property.value : undefined;
    return valueMessages(`user_properties.${name}.value`, value, MAX_USER_PROPERTY_VALUE);
  });
}

/** GA4 names: a letter first, then letters, digits and underscores; not reserved; not too long. */
function nameMessage(
  fieldPath: string,
  subject: string,
  name: string,
  maxLength: number,
  reserved: ReadonlySet<string>,
): AnalyticsValidationMessage | undefined {
  if (!/^[A-Za-z]/.test(name)) {
    return message(
      fieldPath,
      'NAME_INVALID',
      `${subject} has invalid name [${name}]. Names must start with an alphabetic character.`,
    );
  }
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    return message(
      fieldPath,
      'NAME_INVALID',
      `${subject} has invalid name [${name}]. Only alphanumeric characters and underscores are allowed.`,
    );
  }
  if (name.length > maxLength) {
    return message(
      fieldPath,
      'VALUE_OUT_OF_BOUNDS',
      `${subject} has name [${name}] longer than ${maxLength} characters.`,
    );
  }
  if (reserved.has(name) || RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    return message(fieldPath, 'NAME_RESERVED', `${subject} has name [${name}], which is reserved.`);
  }
  return undefined;
}

function valueMessages(fieldPath: string, value: unknown, maxLength: number): Messages {
  if (typeof value === 'string') {
    return value.length > maxLength
      ? [message(fieldPath, 'VALUE_OUT_OF_BOUNDS', `The value is longer than ${maxLength} characters.`)]
      : [];
  }
  if (typeof value === 'number' || typeof value === 'boolean') return [];
  return [message(fieldPath, 'VALUE_INVALID', 'The value must be a string, a number or a boolean.')];
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';
