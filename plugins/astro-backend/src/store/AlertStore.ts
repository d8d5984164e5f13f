import {
  AlertChannelType,
  AlertDelivery,
  AlertRuleType,
  AlertSeverity,
} from '@airflow-portal/plugin-astro-common';
import {
  AuditColumns,
  Db,
  isUniqueViolation,
  toIso,
  updateVersioned,
} from './util';

/** A channel of a rule as stored: secrets only as SecretBox ciphertexts. */
export interface StoredAlertChannel {
  id: string;
  type: AlertChannelType;
  addresses?: string[];
  /** A webhook's URL (a Slack URL is a secret: `secretCiphertext`). */
  url?: string;
  secretHeaderName?: string;
  /** The webhook's secret header value, or the Slack webhook URL, encrypted. */
  secretCiphertext?: string;
}

/** What a rule matches, besides its type. */
export interface AlertCondition {
  dagIds: string[];
  thresholdMinutes?: number;
  minSeverity?: AlertSeverity;
}

/** A row of the `alert_rules` table. */
export interface AlertRuleRow extends AuditColumns {
  id: string;
  organization_id: string;
  workspace_id: string;
  deployment_id: string | null;
  name: string;
  type: AlertRuleType;
  /** JSON of an {@link AlertCondition}. */
  condition: string;
  /** JSON of {@link StoredAlertChannel}s. */
  channels: string;
  enabled: boolean | number;
}

/** A rule with the names of what it is on, parsed. */
export interface AlertRuleRecord {
  row: AlertRuleRow;
  organization: string;
  workspace: string;
  deployment?: string;
  condition: AlertCondition;
  channels: StoredAlertChannel[];
  enabled: boolean;
}

/** A delivery to claim: one (rule, event, channel). */
export interface NewAlertDelivery {
  /** Unique per rule, event and channel. */
  key: string;
  ruleId: string;
  deploymentId?: string;
  eventType: string;
  channelId: string;
  channelType: AlertChannelType;
  title: string;
}

interface DeliveryRow {
  id: number | string;
  rule_id: string;
  deployment_id: string | null;
  deployment_name?: string | null;
  event_type: string;
  channel_id: string;
  channel_type: AlertChannelType;
  title: string;
  status: AlertDelivery['status'];
  attempts: number;
  error: string | null;
  created_at: Date | string | number;
  finished_at: Date | string | number | null;
}

type RuleJoinRow = AlertRuleRow & {
  organization_name: string;
  workspace_name: string;
  deployment_name: string | null;
};

/** Alert rules and the record of their deliveries. */
export class AlertStore {
  constructor(private readonly db: Db) {}

  private static toRecord(row: RuleJoinRow): AlertRuleRecord {
    const {
      organization_name: organization,
      workspace_name: workspace,
      deployment_name: deployment,
      ...rule
    } = row;
    return {
      row: rule,
      organization,
      workspace,
      ...(deployment ? { deployment } : {}),
      condition: JSON.parse(row.condition),
      channels: JSON.parse(row.channels),
      // SQLite returns booleans as 0/1.
      enabled: Boolean(row.enabled),
    };
  }

  private static toDelivery(row: DeliveryRow): AlertDelivery {
    return {
      id: String(row.id),
      channelId: row.channel_id,
      channelType: row.channel_type,
      eventType: row.event_type,
      ...(row.deployment_name ? { deployment: row.deployment_name } : {}),
      title: row.title,
      status: row.status,
      attempts: row.attempts,
      ...(row.error ? { error: row.error } : {}),
      createdAt: toIso(row.created_at),
      ...(row.finished_at ? { finishedAt: toIso(row.finished_at) } : {}),
    };
  }

  private rules() {
    return this.db<RuleJoinRow>('alert_rules as r')
      .join('organizations as o', 'o.id', 'r.organization_id')
      .join('workspaces as w', 'w.id', 'r.workspace_id')
      .leftJoin('deployments as d', 'd.id', 'r.deployment_id')
      .select(
        'r.*',
        'o.name as organization_name',
        'w.name as workspace_name',
        'd.name as deployment_name',
      );
  }

  async insert(
    row: Omit<AlertRuleRow, 'condition' | 'channels'> & {
      condition: AlertCondition;
      channels: StoredAlertChannel[];
    },
  ): Promise<void> {
    await this.db('alert_rules').insert({
      ...row,
      condition: JSON.stringify(row.condition),
      channels: JSON.stringify(row.channels),
    });
  }

  /** A rule of an organization. */
  async get(
    organizationId: string,
    id: string,
  ): Promise<AlertRuleRecord | undefined> {
    const row = await this.rules()
      .where({ 'r.organization_id': organizationId, 'r.id': id })
      .first();
    return row ? AlertStore.toRecord(row) : undefined;
  }

  /** The rules on a workspace itself (not those on its Deployments), by name. */
  async listOnWorkspace(workspaceId: string): Promise<AlertRuleRecord[]> {
    const rows = await this.rules()
      .where({ 'r.workspace_id': workspaceId })
      .whereNull('r.deployment_id')
      .orderBy(['r.name', 'r.id']);
    return rows.map(AlertStore.toRecord);
  }

  /** The rules on one Deployment, by name. */
  async listOnDeployment(deploymentId: string): Promise<AlertRuleRecord[]> {
    const rows = await this.rules()
      .where({ 'r.deployment_id': deploymentId })
      .orderBy(['r.name', 'r.id']);
    return rows.map(AlertStore.toRecord);
  }

  /** The enabled rules that cover a Deployment: its own and its workspace's. */
  async enabledFor(deployment: {
    id: string;
    workspaceId: string;
  }): Promise<AlertRuleRecord[]> {
    const rows = await this.rules()
      .where('r.enabled', true)
      .where(q =>
        q
          .where('r.deployment_id', deployment.id)
          .orWhere(w =>
            w
              .where('r.workspace_id', deployment.workspaceId)
              .whereNull('r.deployment_id'),
          ),
      )
      .orderBy('r.id');
    return rows.map(AlertStore.toRecord);
  }

  /** Updates a rule (optimistic concurrency on its version). */
  async update(
    record: AlertRuleRecord,
    expectedVersion: number | undefined,
    changes: {
      name?: string;
      condition?: AlertCondition;
      channels?: StoredAlertChannel[];
      enabled?: boolean;
    },
    actor: string,
    now: Date,
  ): Promise<number> {
    return updateVersioned(
      this.db,
      'alert_rules',
      record.row,
      expectedVersion,
      {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.condition
          ? { condition: JSON.stringify(changes.condition) }
          : {}),
        ...(changes.channels
          ? { channels: JSON.stringify(changes.channels) }
          : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      },
      actor,
      now,
    );
  }

  async delete(id: string): Promise<void> {
    // Deliveries go first: SQLite may not enforce the cascade.
    await this.db('alert_deliveries').where({ rule_id: id }).delete();
    await this.db('alert_rules').where({ id }).delete();
  }

  /**
   * Claims a delivery by inserting its unique key: the id of the new row,
   * or undefined when another dispatcher (this or another replica) has
   * claimed it already and will send it.
   */
  async claimDelivery(
    delivery: NewAlertDelivery,
    now: Date,
  ): Promise<string | undefined> {
    try {
      const [inserted] = await this.db('alert_deliveries')
        .insert({
          delivery_key: delivery.key,
          rule_id: delivery.ruleId,
          deployment_id: delivery.deploymentId ?? null,
          event_type: delivery.eventType,
          channel_id: delivery.channelId,
          channel_type: delivery.channelType,
          title: delivery.title.slice(0, 300),
          status: 'sending',
          attempts: 0,
          error: null,
          created_at: now,
          finished_at: null,
        })
        .returning('id');
      return String(
        typeof inserted === 'object'
          ? (inserted as { id: unknown }).id
          : inserted,
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        return undefined;
      }
      throw error;
    }
  }

  /** Records an attempt of a delivery and, when it is the last, its outcome. */
  async recordAttempt(
    id: string,
    outcome: {
      attempts: number;
      status: AlertDelivery['status'];
      error?: string;
    },
    now: Date,
  ): Promise<void> {
    await this.db('alert_deliveries')
      .where({ id })
      .update({
        attempts: outcome.attempts,
        status: outcome.status,
        error: outcome.error?.slice(0, 2000) ?? null,
        finished_at: outcome.status === 'sending' ? null : now,
      });
  }

  /** A rule's deliveries, newest first. */
  async deliveriesOf(ruleId: string, limit: number): Promise<AlertDelivery[]> {
    const rows = await this.db<DeliveryRow>('alert_deliveries as a')
      .leftJoin('deployments as d', 'd.id', 'a.deployment_id')
      .where('a.rule_id', ruleId)
      .orderBy('a.id', 'desc')
      .limit(limit)
      .select('a.*', 'd.name as deployment_name');
    return rows.map(AlertStore.toDelivery);
  }
}
