import { WebhookTargetPolicy } from '../alerts/channels/WebhookTargetPolicy';
import { randomUUID } from 'node:crypto';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AlertChannel,
  AlertDelivery,
  AlertRule,
  AlertRuleCreate,
  AlertRulePatch,
} from '@airflow-portal/plugin-astro-common';
import {
  AlertRuleRecord,
  AstroDatabase,
  AstroStores,
  newAuditColumns,
  NewEvent,
  StoredAlertChannel,
} from '../store';
import { SecretBox } from '../secrets/SecretBox';
import type { Actor } from './actor';
import type { MutationRunner } from './MutationRunner';
import type { OrganizationService } from './OrganizationService';
import type { WorkspaceService } from './WorkspaceService';
import type { DeploymentService } from './DeploymentService';
import {
  ParsedAlertChannel,
  parseAlertRuleCreate,
  parseAlertRulePatch,
} from '../alerts/parseAlertRule';

/** What a rule is on: a workspace (all its Deployments) or one Deployment. */
export type AlertRuleScope =
  | { kind: 'workspace'; organization: string; workspace: string }
  | { kind: 'deployment'; organization: string; deployment: string };

/** The rule's API view: secrets are never part of it, only `hasSecret`. */
export function alertRuleToApi(record: AlertRuleRecord): AlertRule {
  const { row, condition } = record;
  return {
    id: row.id,
    organization: record.organization,
    workspace: record.workspace,
    ...(record.deployment ? { deployment: record.deployment } : {}),
    name: row.name,
    type: row.type,
    dagIds: condition.dagIds,
    ...(condition.thresholdMinutes !== undefined
      ? { thresholdMinutes: condition.thresholdMinutes }
      : {}),
    ...(condition.minSeverity ? { minSeverity: condition.minSeverity } : {}),
    channels: record.channels.map(channelToApi),
    enabled: record.enabled,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
    version: row.version,
  };
}

function channelToApi(channel: StoredAlertChannel): AlertChannel {
  return {
    id: channel.id,
    type: channel.type,
    ...(channel.addresses ? { addresses: channel.addresses } : {}),
    ...(channel.type === 'webhook' && channel.url ? { url: channel.url } : {}),
    ...(channel.secretHeaderName
      ? { secretHeaderName: channel.secretHeaderName }
      : {}),
    hasSecret: Boolean(channel.secretCiphertext),
  };
}

/** The scope of a stored rule. */
export function scopeOfRule(record: AlertRuleRecord): AlertRuleScope {
  return record.deployment
    ? {
        kind: 'deployment',
        organization: record.organization,
        deployment: record.deployment,
      }
    : {
        kind: 'workspace',
        organization: record.organization,
        workspace: record.workspace,
      };
}

/**
 * Alert rules on workspaces and Deployments: validated, their channel
 * secrets (webhook header values, Slack webhook URLs) encrypted with the
 * secret box before they are stored, each change recorded as an event of
 * the workspace or Deployment in the same transaction.
 */
export class AlertRuleService {
  constructor(
    private readonly db: AstroDatabase,
    private readonly mutations: MutationRunner,
    private readonly organizations: OrganizationService,
    private readonly workspaces: WorkspaceService,
    private readonly deployments: DeploymentService,
    private readonly secrets: SecretBox,
    /** Refuses webhook URLs of private networks (unless allowed). */
    private readonly webhookTargets: WebhookTargetPolicy,
  ) {}

  /** The ids a scope resolves to, or a NotFoundError. */
  private async resolve(scope: AlertRuleScope, stores: AstroStores = this.db) {
    const org = await this.organizations.getRow(scope.organization, stores);
    if (scope.kind === 'workspace') {
      const ws = await this.workspaces.getRow(org, scope.workspace, stores);
      return { organizationId: org.id, workspaceId: ws.id };
    }
    const record = await this.deployments.getRecord(
      scope.organization,
      scope.deployment,
      stores,
    );
    return {
      organizationId: org.id,
      workspaceId: record.workspace_id,
      deploymentId: record.id,
    };
  }

  async list(scope: AlertRuleScope): Promise<AlertRule[]> {
    const ids = await this.resolve(scope);
    const records = ids.deploymentId
      ? await this.db.alerts.listOnDeployment(ids.deploymentId)
      : await this.db.alerts.listOnWorkspace(ids.workspaceId);
    return records.map(alertRuleToApi);
  }

  /** A rule of an organization with its scope, or a NotFoundError. */
  async getRecord(
    organization: string,
    id: string,
    stores: AstroStores = this.db,
  ): Promise<AlertRuleRecord> {
    const org = await this.organizations.getRow(organization, stores);
    const record = await stores.alerts.get(org.id, id);
    if (!record) {
      throw new NotFoundError(
        `Alert rule "${id}" not found in organization "${organization}"`,
      );
    }
    return record;
  }

  async get(organization: string, id: string): Promise<AlertRule> {
    return alertRuleToApi(await this.getRecord(organization, id));
  }

  async create(
    actor: Actor,
    scope: AlertRuleScope,
    input: AlertRuleCreate,
  ): Promise<AlertRule> {
    const parsed = parseAlertRuleCreate(input, url =>
      this.webhookTargets.refusalOf(url),
    );
    return this.mutations.run(async (tx, now) => {
      const ids = await this.resolve(scope, tx);
      const id = randomUUID();
      await tx.alerts.insert({
        id,
        organization_id: ids.organizationId,
        workspace_id: ids.workspaceId,
        deployment_id: ids.deploymentId ?? null,
        name: parsed.name,
        type: parsed.type,
        condition: parsed.condition,
        channels: this.store(parsed.channels, []),
        enabled: parsed.enabled,
        ...newAuditColumns(actor, now),
      });
      const rule = alertRuleToApi(
        await this.getRecord(scope.organization, id, tx),
      );
      return {
        result: rule,
        events: [
          this.event(rule, ids.deploymentId, {
            action: 'alert-rule-created',
            actor,
            message: `Alert rule ${rule.name} (${rule.type}) created`,
            after: rule,
          }),
        ],
        changes: [],
      };
    });
  }

  async update(
    actor: Actor,
    organization: string,
    id: string,
    input: AlertRulePatch,
    expectedVersion: number | undefined,
  ): Promise<AlertRule> {
    return this.mutations.run(async (tx, now) => {
      const record = await this.getRecord(organization, id, tx);
      const parsed = parseAlertRulePatch(
        input,
        {
          type: record.row.type,
          condition: record.condition,
          enabled: record.enabled,
        },
        url => this.webhookTargets.refusalOf(url),
      );
      const before = alertRuleToApi(record);
      await tx.alerts.update(
        record,
        expectedVersion,
        {
          name: parsed.name,
          condition: parsed.condition,
          enabled: parsed.enabled,
          channels:
            parsed.channels && this.store(parsed.channels, record.channels),
        },
        actor,
        now,
      );
      const rule = alertRuleToApi(await this.getRecord(organization, id, tx));
      return {
        result: rule,
        events: [
          this.event(rule, record.row.deployment_id ?? undefined, {
            action: 'alert-rule-updated',
            actor,
            message: `Alert rule ${rule.name} changed`,
            before,
            after: rule,
          }),
        ],
        changes: [],
      };
    });
  }

  async delete(actor: Actor, organization: string, id: string): Promise<void> {
    await this.mutations.run(async tx => {
      const record = await this.getRecord(organization, id, tx);
      await tx.alerts.delete(id);
      const rule = alertRuleToApi(record);
      return {
        result: undefined,
        events: [
          this.event(rule, record.row.deployment_id ?? undefined, {
            action: 'alert-rule-deleted',
            actor,
            message: `Alert rule ${rule.name} deleted`,
            before: rule,
          }),
        ],
        changes: [],
      };
    });
  }

  async deliveries(
    organization: string,
    id: string,
    limit: number,
  ): Promise<AlertDelivery[]> {
    const record = await this.getRecord(organization, id);
    return this.db.alerts.deliveriesOf(record.row.id, limit);
  }

  /**
   * Channels as stored: new secrets encrypted; a channel naming an
   * existing one by id keeps that one's id and, unless it sends a new
   * secret, its stored secret.
   */
  private store(
    channels: ParsedAlertChannel[],
    existing: StoredAlertChannel[],
  ): StoredAlertChannel[] {
    return channels.map((channel, i) => {
      const previous = channel.id
        ? existing.find(e => e.id === channel.id)
        : undefined;
      if (channel.id && (!previous || previous.type !== channel.type)) {
        throw new InputError(
          `channels[${i}].id: the rule has no ${channel.type} channel ${channel.id}`,
        );
      }
      const id = previous?.id ?? randomUUID();
      switch (channel.type) {
        case 'notifications':
          return { id, type: channel.type };
        case 'email':
          return { id, type: channel.type, addresses: channel.addresses };
        case 'webhook': {
          // A new header replaces the old; the same URL keeps it, a new
          // URL without a header drops it (it was meant for the old one).
          const keep =
            !channel.secretHeader && previous?.url === channel.url
              ? previous
              : undefined;
          return {
            id,
            type: channel.type,
            url: channel.url,
            ...this.webhookSecret(channel, keep),
          };
        }
        default:
          return {
            id,
            type: channel.type,
            secretCiphertext: channel.url
              ? this.secrets.encrypt(channel.url)
              : previous!.secretCiphertext,
          };
      }
    });
  }

  /** A webhook's secret header: a new one encrypted, else the kept one. */
  private webhookSecret(
    channel: ParsedAlertChannel,
    keep: StoredAlertChannel | undefined,
  ): Pick<StoredAlertChannel, 'secretHeaderName' | 'secretCiphertext'> {
    if (channel.secretHeader) {
      return {
        secretHeaderName: channel.secretHeader.name,
        secretCiphertext: this.secrets.encrypt(channel.secretHeader.value),
      };
    }
    return keep?.secretCiphertext
      ? {
          secretHeaderName: keep.secretHeaderName,
          secretCiphertext: keep.secretCiphertext,
        }
      : {};
  }

  private event(
    rule: AlertRule,
    deploymentId: string | undefined,
    fields: Pick<NewEvent, 'action' | 'actor' | 'message' | 'before' | 'after'>,
  ): NewEvent {
    return {
      organization: rule.organization,
      resourceType: rule.deployment ? 'deployment' : 'workspace',
      resourceName: `${rule.organization}/${rule.deployment ?? rule.workspace}`,
      ...(deploymentId ? { deploymentId } : {}),
      ...fields,
    };
  }
}
