import { InputError } from '@backstage/errors';
import {
  AlertChannelType,
  AlertRuleCreate,
  AlertRulePatch,
  AlertRuleType,
  AlertSeverity,
} from '@airflow-portal/plugin-astro-common';
import { AlertCondition } from '../store';

const RULE_TYPES: readonly AlertRuleType[] = [
  'dag-failure',
  'dag-duration',
  'incident',
];
const CHANNEL_TYPES: readonly AlertChannelType[] = [
  'notifications',
  'email',
  'webhook',
  'slack',
];
const SEVERITIES: readonly AlertSeverity[] = ['warning', 'critical'];
const DAG_ID = /^[A-Za-z0-9_.-]{1,250}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
// Deliberately plain: one @, no spaces, a dot in the domain.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const MAX_CHANNELS = 10;
const MAX_MINUTES = 7 * 24 * 60;

/** A channel as validated: secrets still in plain text, to be encrypted. */
export interface ParsedAlertChannel {
  /** The existing channel it replaces (PATCH), whose secret it may keep. */
  id?: string;
  type: AlertChannelType;
  addresses?: string[];
  url?: string;
  secretHeader?: { name: string; value: string };
}

/** A rule's fields as validated. */
export interface ParsedAlertRule {
  name: string;
  type: AlertRuleType;
  condition: AlertCondition;
  channels: ParsedAlertChannel[];
  enabled: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseName(value: unknown): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 100) {
    throw new InputError(
      'name: must be a non-empty string of at most 100 characters',
    );
  }
  return value.trim();
}

/** Why a webhook URL may not be used (see WebhookTargetPolicy), or undefined. */
export type WebhookUrlCheck = (url: URL) => string | undefined;

function parseUrl(
  value: unknown,
  field: string,
  check: WebhookUrlCheck | undefined,
): string {
  let url: URL | undefined;
  try {
    url =
      typeof value === 'string' && value.length <= 2000
        ? new URL(value)
        : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(`${field}: must be an http or https URL`);
  }
  const refused = check?.(url);
  if (refused) {
    throw new InputError(`${field}: ${refused}`);
  }
  return url.toString();
}

/** Fields a channel type does not take, named in the 400. */
function refuseFields(
  input: Record<string, unknown>,
  allowed: string[],
  field: string,
) {
  for (const key of Object.keys(input)) {
    if (!['id', 'type', ...allowed].includes(key)) {
      throw new InputError(
        `${field}.${key}: not a field of a ${String(input.type)} channel`,
      );
    }
  }
}

function parseChannel(
  input: unknown,
  field: string,
  check: WebhookUrlCheck | undefined,
): ParsedAlertChannel {
  if (!isObject(input)) {
    throw new InputError(`${field}: must be an object`);
  }
  const type = input.type as AlertChannelType;
  if (!CHANNEL_TYPES.includes(type)) {
    throw new InputError(
      `${field}.type: must be one of ${CHANNEL_TYPES.join(', ')}`,
    );
  }
  if (input.id !== undefined && (typeof input.id !== 'string' || !input.id)) {
    throw new InputError(
      `${field}.id: must be the id of a channel of this rule`,
    );
  }
  const id = input.id as string | undefined;
  const base = { ...(id ? { id } : {}), type };
  switch (type) {
    case 'notifications':
      refuseFields(input, [], field);
      return base;
    case 'email': {
      refuseFields(input, ['addresses'], field);
      const addresses = input.addresses;
      if (
        !Array.isArray(addresses) ||
        addresses.length === 0 ||
        addresses.length > 20
      ) {
        throw new InputError(
          `${field}.addresses: name between 1 and 20 e-mail addresses`,
        );
      }
      addresses.forEach((address, i) => {
        if (typeof address !== 'string' || !EMAIL.test(address)) {
          throw new InputError(
            `${field}.addresses[${i}]: not an e-mail address`,
          );
        }
      });
      return {
        ...base,
        addresses: [...new Set(addresses.map(a => String(a).toLowerCase()))],
      };
    }
    case 'webhook': {
      refuseFields(input, ['url', 'secretHeader'], field);
      const url = parseUrl(input.url, `${field}.url`, check);
      if (input.secretHeader === undefined) {
        return { ...base, url };
      }
      const header = input.secretHeader;
      if (!isObject(header)) {
        throw new InputError(`${field}.secretHeader: must be { name, value }`);
      }
      if (typeof header.name !== 'string' || !HEADER_NAME.test(header.name)) {
        throw new InputError(
          `${field}.secretHeader.name: not an HTTP header name`,
        );
      }
      if (
        typeof header.value !== 'string' ||
        !header.value ||
        header.value.length > 4000 ||
        /[\r\n]/.test(header.value)
      ) {
        throw new InputError(
          `${field}.secretHeader.value: must be a non-empty single-line string of at most 4000 characters`,
        );
      }
      return {
        ...base,
        url,
        secretHeader: { name: header.name, value: header.value },
      };
    }
    default: {
      refuseFields(input, ['url'], field);
      // A slack channel without url keeps the stored one (PATCH with id).
      if (input.url === undefined && id) {
        return base;
      }
      return { ...base, url: parseUrl(input.url, `${field}.url`, check) };
    }
  }
}

function parseChannels(
  value: unknown,
  check: WebhookUrlCheck | undefined,
): ParsedAlertChannel[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > MAX_CHANNELS
  ) {
    throw new InputError(
      `channels: name between 1 and ${MAX_CHANNELS} channels`,
    );
  }
  const channels = value.map((c, i) =>
    parseChannel(c, `channels[${i}]`, check),
  );
  const ids = channels.flatMap(c => (c.id ? [c.id] : []));
  if (new Set(ids).size !== ids.length) {
    throw new InputError('channels: the same channel id is given twice');
  }
  return channels;
}

function parseDagIds(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || value.length > 100) {
    throw new InputError('dagIds: must be a list of at most 100 DAG ids');
  }
  value.forEach((dagId, i) => {
    if (typeof dagId !== 'string' || !DAG_ID.test(dagId)) {
      throw new InputError(
        `dagIds[${i}]: not a DAG id (letters, digits, _ . -)`,
      );
    }
  });
  return [...new Set(value as string[])];
}

/**
 * The condition of a rule of a type, from the fields given: each type takes
 * its own fields and refuses the others'.
 */
function parseCondition(
  type: AlertRuleType,
  input: Record<string, unknown>,
  previous?: AlertCondition,
): AlertCondition {
  const given = (key: string) => input[key] !== undefined;
  if (type === 'incident') {
    for (const key of ['dagIds', 'thresholdMinutes']) {
      if (given(key)) {
        throw new InputError(`${key}: not a field of an incident rule`);
      }
    }
    const minSeverity = (input.minSeverity ??
      previous?.minSeverity) as AlertSeverity;
    if (!SEVERITIES.includes(minSeverity)) {
      throw new InputError(
        `minSeverity: an incident rule needs one of ${SEVERITIES.join(', ')}`,
      );
    }
    return { dagIds: [], minSeverity };
  }
  if (given('minSeverity')) {
    throw new InputError(`minSeverity: not a field of a ${type} rule`);
  }
  const dagIds = given('dagIds')
    ? parseDagIds(input.dagIds)
    : previous?.dagIds ?? [];
  if (type === 'dag-failure') {
    if (given('thresholdMinutes')) {
      throw new InputError(
        'thresholdMinutes: not a field of a dag-failure rule',
      );
    }
    return { dagIds };
  }
  const thresholdMinutes = input.thresholdMinutes ?? previous?.thresholdMinutes;
  if (
    typeof thresholdMinutes !== 'number' ||
    !Number.isInteger(thresholdMinutes) ||
    thresholdMinutes < 1 ||
    thresholdMinutes > MAX_MINUTES
  ) {
    throw new InputError(
      `thresholdMinutes: a dag-duration rule needs a whole number of minutes from 1 to ${MAX_MINUTES}`,
    );
  }
  return { dagIds, thresholdMinutes };
}

function parseEnabled(value: unknown, fallback: boolean): boolean {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    throw new InputError('enabled: must be true or false');
  }
  return value;
}

/** Validates a new rule; InputError naming the field. */
export function parseAlertRuleCreate(
  input: AlertRuleCreate,
  checkUrl?: WebhookUrlCheck,
): ParsedAlertRule {
  if (!isObject(input)) {
    throw new InputError('body: must be an alert rule object');
  }
  const type = input.type as AlertRuleType;
  if (!RULE_TYPES.includes(type)) {
    throw new InputError(`type: must be one of ${RULE_TYPES.join(', ')}`);
  }
  const channels = parseChannels(input.channels, checkUrl);
  channels.forEach((channel, i) => {
    if (channel.id) {
      throw new InputError(
        `channels[${i}].id: a new rule has no channels to refer to`,
      );
    }
  });
  return {
    name: parseName(input.name),
    type,
    condition: parseCondition(type, input as Record<string, unknown>),
    channels,
    enabled: parseEnabled(input.enabled, true),
  };
}

/** Validates changes to a rule of a type; InputError naming the field. */
export function parseAlertRulePatch(
  input: AlertRulePatch,
  current: { type: AlertRuleType; condition: AlertCondition; enabled: boolean },
  checkUrl?: WebhookUrlCheck,
): Partial<ParsedAlertRule> {
  if (!isObject(input)) {
    throw new InputError('body: must be an object of the fields to change');
  }
  const record = input as Record<string, unknown>;
  if (record.type !== undefined) {
    throw new InputError(
      'type: cannot be changed; create a rule of the other type instead',
    );
  }
  const conditionGiven = ['dagIds', 'thresholdMinutes', 'minSeverity'].some(
    key => record[key] !== undefined,
  );
  return {
    ...(input.name !== undefined ? { name: parseName(input.name) } : {}),
    ...(conditionGiven
      ? { condition: parseCondition(current.type, record, current.condition) }
      : {}),
    ...(input.channels !== undefined
      ? { channels: parseChannels(input.channels, checkUrl) }
      : {}),
    ...(input.enabled !== undefined
      ? { enabled: parseEnabled(input.enabled, current.enabled) }
      : {}),
  };
}
