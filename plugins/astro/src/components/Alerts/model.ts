import type {
  AlertChannel,
  AlertChannelInput,
  AlertChannelType,
  AlertDelivery,
  AlertRule,
  AlertRuleCreate,
  AlertRulePatch,
  AlertRuleType,
  AlertSeverity,
} from '@airflow-portal/plugin-astro-common';
import type { AstroApi } from '../../api';

/** The rules of one Deployment or of one workspace (all its Deployments). */
export type AlertScope =
  | { kind: 'deployment'; organization: string; deployment: string }
  | { kind: 'workspace'; organization: string; workspace: string };

/** The alert calls of a scope, so that one card serves both kinds. */
export interface ScopedAlertApi {
  list(): Promise<AlertRule[]>;
  create(body: AlertRuleCreate, idempotencyKey: string): Promise<AlertRule>;
  update(rule: AlertRule, body: AlertRulePatch): Promise<AlertRule>;
  remove(rule: AlertRule): Promise<void>;
  deliveries(rule: AlertRule): Promise<AlertDelivery[]>;
}

/** How many deliveries the deliveries dialog shows. */
export const DELIVERIES_SHOWN = 50;

/** The calls of the Astro API for a scope's alert rules. */
export function scopedAlertApi(
  astroApi: AstroApi,
  scope: AlertScope,
): ScopedAlertApi {
  const org = scope.organization;
  const byId = {
    update: (rule: AlertRule, body: AlertRulePatch) =>
      astroApi.updateAlertRule({
        path: { org, rule: rule.id },
        body: { ...body, version: rule.version },
      }),
    remove: (rule: AlertRule) =>
      astroApi.deleteAlertRule({ path: { org, rule: rule.id } }),
    deliveries: async (rule: AlertRule) =>
      (
        await astroApi.listAlertDeliveries({
          path: { org, rule: rule.id },
          query: { limit: DELIVERIES_SHOWN },
        })
      ).items,
  };
  if (scope.kind === 'deployment') {
    const path = { org, dep: scope.deployment };
    return {
      ...byId,
      list: async () =>
        (await astroApi.listDeploymentAlertRules({ path })).items,
      create: (body, key) =>
        astroApi.createDeploymentAlertRule({
          path,
          header: { 'Idempotency-Key': key },
          body,
        }),
    };
  }
  const path = { org, ws: scope.workspace };
  return {
    ...byId,
    list: async () => (await astroApi.listWorkspaceAlertRules({ path })).items,
    create: (body, key) =>
      astroApi.createWorkspaceAlertRule({
        path,
        header: { 'Idempotency-Key': key },
        body,
      }),
  };
}

/** The rule types, each with a label and what it alerts on. */
export const RULE_TYPES: ReadonlyArray<{
  type: AlertRuleType;
  label: string;
  help: string;
}> = [
  {
    type: 'dag-failure',
    label: 'DAG run failed',
    help: 'Alerts once for every DAG run that ends failed.',
  },
  {
    type: 'dag-duration',
    label: 'DAG run took too long',
    help: 'Alerts when a DAG run finishes after more than the minutes you set.',
  },
  {
    type: 'incident',
    label: 'Incident opened',
    help: 'Alerts when the platform opens an incident of at least the severity you choose (heartbeat missing, crash loop, queue at capacity…).',
  },
];

/** Channel types with their labels. */
export const CHANNEL_TYPES: ReadonlyArray<{
  type: AlertChannelType;
  label: string;
  help: string;
}> = [
  {
    type: 'notifications',
    label: 'Portal notifications',
    help: 'Notifies the owners of the Deployment in the portal (and by e-mail where the portal sends notification e-mails).',
  },
  {
    type: 'email',
    label: 'E-mail',
    help: 'Sends an e-mail to the addresses you list.',
  },
  {
    type: 'webhook',
    label: 'Webhook',
    help: 'POSTs a JSON description of the alert to a URL, optionally with a secret header.',
  },
  {
    type: 'slack',
    label: 'Slack',
    help: 'Posts to a Slack-compatible incoming webhook. The URL is a secret: it is stored encrypted and never shown again.',
  },
];

/** Words for a rule type. */
export function ruleTypeLabel(type: AlertRuleType): string {
  return RULE_TYPES.find(t => t.type === type)?.label ?? type;
}

/** Words for a channel type. */
export function channelTypeLabel(type: AlertChannelType): string {
  return CHANNEL_TYPES.find(t => t.type === type)?.label ?? type;
}

const SEVERITY_WORDS: Record<AlertSeverity, string> = {
  warning: 'warning or critical',
  critical: 'critical',
};

/** What a rule alerts on, in one sentence. */
export function describeRule(rule: AlertRule): string {
  const dags =
    rule.dagIds.length === 0
      ? 'any DAG'
      : `${rule.dagIds.length === 1 ? 'DAG' : 'DAGs'} ${rule.dagIds.join(
          ', ',
        )}`;
  switch (rule.type) {
    case 'dag-failure':
      return `A run of ${dags} fails.`;
    case 'dag-duration':
      return `A run of ${dags} takes longer than ${rule.thresholdMinutes} min.`;
    default:
      return `An incident of severity ${
        SEVERITY_WORDS[rule.minSeverity ?? 'warning']
      } opens.`;
  }
}

/** A channel in a few words, without secrets. */
export function describeChannel(channel: AlertChannel): string {
  switch (channel.type) {
    case 'notifications':
      return 'Portal notifications to the owners';
    case 'email':
      return `E-mail to ${(channel.addresses ?? []).join(', ')}`;
    case 'webhook':
      return `Webhook ${channel.url ?? ''}${
        channel.secretHeaderName
          ? ` (with secret header ${channel.secretHeaderName})`
          : ''
      }`;
    default:
      return 'Slack incoming webhook (URL stored as a secret)';
  }
}

/** One channel as the form edits it: strings, secrets write-only. */
export interface ChannelFormValues {
  /** The stored channel's id, when editing an existing one. */
  id?: string;
  type: AlertChannelType;
  /** E-mail addresses, separated by commas, spaces or new lines. */
  addresses: string;
  url: string;
  secretHeaderName: string;
  /** Write-only: empty keeps the stored value of an existing channel. */
  secretHeaderValue: string;
  /** Whether the stored channel has a secret (slack URL, header value). */
  hasSecret: boolean;
}

/** The rule as the form edits it. */
export interface RuleFormValues {
  name: string;
  type: AlertRuleType;
  /** DAG ids separated by commas or spaces; empty: every DAG. */
  dagIds: string;
  thresholdMinutes: string;
  minSeverity: AlertSeverity;
  enabled: boolean;
  channels: ChannelFormValues[];
}

/** A new, empty channel of a type. */
export function emptyChannel(
  type: AlertChannelType = 'notifications',
): ChannelFormValues {
  return {
    type,
    addresses: '',
    url: '',
    secretHeaderName: '',
    secretHeaderValue: '',
    hasSecret: false,
  };
}

/** The form of a new rule. */
export function emptyRuleForm(): RuleFormValues {
  return {
    name: '',
    type: 'dag-failure',
    dagIds: '',
    thresholdMinutes: '60',
    minSeverity: 'critical',
    enabled: true,
    channels: [emptyChannel()],
  };
}

/** The form of an existing rule. */
export function ruleForm(rule: AlertRule): RuleFormValues {
  return {
    name: rule.name,
    type: rule.type,
    dagIds: rule.dagIds.join(', '),
    thresholdMinutes: String(rule.thresholdMinutes ?? 60),
    minSeverity: rule.minSeverity ?? 'critical',
    enabled: rule.enabled,
    channels: rule.channels.map(channel => ({
      id: channel.id,
      type: channel.type,
      addresses: (channel.addresses ?? []).join(', '),
      url: channel.url ?? '',
      secretHeaderName: channel.secretHeaderName ?? '',
      secretHeaderValue: '',
      hasSecret: channel.hasSecret,
    })),
  };
}

/** The limits the API enforces, so the form says them first. */
export const ALERT_LIMITS = {
  nameLength: 100,
  maxMinutes: 10080,
  maxChannels: 10,
  maxAddresses: 20,
  maxDagIds: 100,
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAG_ID = /^[A-Za-z0-9_.-]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Splits a list typed as text: commas, spaces and new lines separate. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(s => s.trim())
    .filter(Boolean);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Field errors keyed like the form's fields: `name`, `channels.0.url`. */
export type RuleFormErrors = Record<string, string>;

function channelInput(
  channel: ChannelFormValues,
  index: number,
  errors: RuleFormErrors,
): AlertChannelInput {
  const at = `channels.${index}`;
  const base: AlertChannelInput = {
    ...(channel.id ? { id: channel.id } : {}),
    type: channel.type,
  };
  switch (channel.type) {
    case 'notifications':
      return base;
    case 'email': {
      const addresses = splitList(channel.addresses);
      if (addresses.length === 0) {
        errors[`${at}.addresses`] = 'Name at least one e-mail address.';
      } else if (addresses.length > ALERT_LIMITS.maxAddresses) {
        errors[
          `${at}.addresses`
        ] = `At most ${ALERT_LIMITS.maxAddresses} addresses.`;
      } else {
        const bad = addresses.find(a => !EMAIL.test(a));
        if (bad) {
          errors[`${at}.addresses`] = `"${bad}" is not an e-mail address.`;
        }
      }
      return { ...base, addresses };
    }
    case 'webhook': {
      const url = channel.url.trim();
      if (!isHttpUrl(url)) {
        errors[`${at}.url`] = 'Enter an http or https URL.';
      }
      const name = channel.secretHeaderName.trim();
      const value = channel.secretHeaderValue;
      const keepsStored = Boolean(channel.id && channel.hasSecret && !value);
      if (name && !HEADER_NAME.test(name)) {
        errors[`${at}.secretHeaderName`] = 'Not an HTTP header name.';
      }
      if (name && !value && !keepsStored) {
        errors[`${at}.secretHeaderValue`] = 'Enter the header value.';
      }
      if (!name && value) {
        errors[`${at}.secretHeaderName`] = 'Name the header for this value.';
      }
      if (/[\r\n]/.test(value)) {
        errors[`${at}.secretHeaderValue`] = 'One line only.';
      }
      return name && value
        ? { ...base, url, secretHeader: { name, value } }
        : { ...base, url };
    }
    default: {
      const url = channel.url.trim();
      if (!url && channel.id && channel.hasSecret) {
        // Keeps the stored URL.
        return base;
      }
      if (!isHttpUrl(url)) {
        errors[`${at}.url`] = 'Enter the incoming-webhook URL (https://…).';
      }
      return { ...base, url };
    }
  }
}

/**
 * Checks the form as the API would and builds the request body (the
 * fields of the rule's type only); errors name the form's fields in the
 * form's words.
 */
export function validateRuleForm(values: RuleFormValues): {
  valid: boolean;
  errors: RuleFormErrors;
  body: AlertRuleCreate;
} {
  const errors: RuleFormErrors = {};
  const name = values.name.trim();
  if (!name) {
    errors.name = 'Give the rule a name.';
  } else if (name.length > ALERT_LIMITS.nameLength) {
    errors.name = `At most ${ALERT_LIMITS.nameLength} characters.`;
  }
  const condition: Partial<AlertRuleCreate> = {};
  if (values.type === 'incident') {
    condition.minSeverity = values.minSeverity;
  } else {
    const dagIds = splitList(values.dagIds);
    const bad = dagIds.find(id => !DAG_ID.test(id));
    if (bad) {
      errors.dagIds = `"${bad}" is not a DAG id (letters, digits, _ . -).`;
    } else if (dagIds.length > ALERT_LIMITS.maxDagIds) {
      errors.dagIds = `At most ${ALERT_LIMITS.maxDagIds} DAGs.`;
    }
    condition.dagIds = dagIds;
    if (values.type === 'dag-duration') {
      const minutes = Number(values.thresholdMinutes);
      if (
        !Number.isInteger(minutes) ||
        minutes < 1 ||
        minutes > ALERT_LIMITS.maxMinutes
      ) {
        errors.thresholdMinutes = `A whole number of minutes from 1 to ${ALERT_LIMITS.maxMinutes}.`;
      }
      condition.thresholdMinutes = minutes;
    }
  }
  if (values.channels.length === 0) {
    errors.channels = 'Add at least one channel.';
  } else if (values.channels.length > ALERT_LIMITS.maxChannels) {
    errors.channels = `At most ${ALERT_LIMITS.maxChannels} channels.`;
  }
  const channels = values.channels.map((channel, index) =>
    channelInput(channel, index, errors),
  );
  return {
    valid: Object.keys(errors).length === 0,
    errors,
    body: {
      name,
      type: values.type,
      ...condition,
      channels,
      enabled: values.enabled,
    },
  };
}

/**
 * The API's field paths (`channels[0].url`, `thresholdMinutes`) as the
 * form's keys (`channels.0.url`).
 */
export function formKeyOf(apiField: string): string {
  return apiField.replace(/\[(\d+)\]/g, '.$1');
}

/** The body of a PATCH from a valid form: the type cannot change. */
export function patchOf(body: AlertRuleCreate): AlertRulePatch {
  const { type: _type, ...rest } = body;
  return rest;
}

/** Words for a delivery's event type. */
export function deliveryEventLabel(eventType: string): string {
  switch (eventType) {
    case 'incident-opened':
      return 'Incident opened';
    case 'dag-run-failed':
      return 'DAG run failed';
    case 'dag-run-too-long':
      return 'DAG run took too long';
    default:
      return eventType;
  }
}
