import { LoggerService } from '@backstage/backend-plugin-api';
import { assertError } from '@backstage/errors';
import { AlertRuleRecord, AstroDatabase, StoredAlertChannel } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import {
  DagRunFinishedEvent,
  IncidentEvent,
  MonitorListener,
} from './MonitorListener';
import {
  Alert,
  alertKeyDigest,
  dagRunAlerts,
  incidentAlert,
  ruleMatches,
} from './alertEvents';
import { NotificationChannel } from './channels/NotificationChannel';
import { redact, WebhookChannel } from './channels/WebhookChannel';
import { AlertDeliveryError } from './channels/AlertDeliveryError';
import { slackPayload, webhookPayload } from './channels/alertPayloads';

/** Where the portal shows a Deployment, for links in alerts. */
export type DeploymentLink = (
  organization: string,
  deployment: string,
) => string;

/**
 * Turns what the monitor reports into alerts and delivers them: every
 * enabled rule of the Deployment and of its workspace that matches gets
 * one delivery per channel. Each delivery's unique key (rule, event,
 * channel) is inserted before anything is sent, so the same event handled
 * twice — by two replicas, or twice by one — is sent once; then it is sent
 * (webhooks retried with backoff) and its outcome recorded. Errors it
 * records or logs never contain secret values.
 */
export class AlertDispatcher implements MonitorListener {
  constructor(
    private readonly deps: {
      db: AstroDatabase;
      secrets: SecretBox;
      logger: LoggerService;
      notifications: NotificationChannel;
      webhooks: WebhookChannel;
      link: DeploymentLink;
      clock?: () => Date;
    },
  ) {}

  private now() {
    return (this.deps.clock ?? (() => new Date()))();
  }

  async incidentOpened(e: IncidentEvent): Promise<void> {
    await this.onIncident(e, true);
  }

  async incidentResolved(e: IncidentEvent): Promise<void> {
    await this.onIncident(e, false);
  }

  async dagRunFinished(e: DagRunFinishedEvent): Promise<void> {
    const record = await this.deps.db.deployments.getById(e.deploymentId);
    if (!record) {
      return;
    }
    for (const alert of dagRunAlerts(e, record)) {
      await this.dispatch(alert);
    }
  }

  private async onIncident(e: IncidentEvent, opened: boolean) {
    const record = await this.deps.db.deployments.getById(e.deployment.id);
    if (record) {
      await this.dispatch(incidentAlert(e.incident, record, opened));
    }
  }

  /** Delivers an alert to every channel of every rule that matches it. */
  async dispatch(alert: Alert): Promise<void> {
    const rules = (
      await this.deps.db.alerts.enabledFor({
        id: alert.deployment.id,
        workspaceId: alert.deployment.workspace_id,
      })
    ).filter(rule => ruleMatches(rule, alert));
    await Promise.all(
      rules.flatMap(rule =>
        rule.channels.map(channel => this.deliver(rule, channel, alert)),
      ),
    );
  }

  private async deliver(
    rule: AlertRuleRecord,
    channel: StoredAlertChannel,
    alert: Alert,
  ): Promise<void> {
    const { db, logger } = this.deps;
    const id = await db.alerts.claimDelivery(
      {
        key: `${rule.row.id}:${alertKeyDigest(alert)}:${channel.id}`,
        ruleId: rule.row.id,
        deploymentId: alert.deployment.id,
        eventType: alert.kind,
        channelId: channel.id,
        channelType: channel.type,
        title: alert.title,
      },
      this.now(),
    );
    if (!id) {
      // Claimed by another dispatcher, which sends it.
      return;
    }
    let secrets: string[] = [];
    try {
      const secret = channel.secretCiphertext
        ? this.deps.secrets.decrypt(channel.secretCiphertext)
        : undefined;
      secrets = secret ? [secret] : [];
      const attempts = await this.send(alert, rule, channel, secret, id);
      await db.alerts.recordAttempt(
        id,
        { attempts, status: 'sent' },
        this.now(),
      );
    } catch (error) {
      assertError(error);
      const attempts = error instanceof AlertDeliveryError ? error.attempts : 1;
      const message = redact(
        error instanceof AlertDeliveryError
          ? error.message
          : `${error.name}: ${error.message}`,
        secrets,
      );
      logger.warn(
        `Alert rule ${rule.row.id} could not deliver "${alert.kind}" to its ${channel.type} channel ${channel.id}: ${message}`,
      );
      await db.alerts.recordAttempt(
        id,
        { attempts, status: 'failed', error: message },
        this.now(),
      );
    }
  }

  /** Sends to one channel; the number of attempts it took. */
  private async send(
    alert: Alert,
    rule: AlertRuleRecord,
    channel: StoredAlertChannel,
    secret: string | undefined,
    deliveryId: string,
  ): Promise<number> {
    const { deployment } = alert;
    const link = this.deps.link(deployment.organization_name, deployment.name);
    const onAttemptFailed = (attempts: number, error: string) =>
      this.deps.db.alerts.recordAttempt(
        deliveryId,
        { attempts, status: 'sending', error },
        this.now(),
      );
    switch (channel.type) {
      case 'notifications':
        await this.deps.notifications.sendToOwners(alert, link);
        return 1;
      case 'email':
        await this.deps.notifications.sendToEmails(
          alert,
          link,
          channel.addresses ?? [],
        );
        return 1;
      case 'webhook':
        return this.deps.webhooks.post({
          url: channel.url!,
          body: webhookPayload(alert, rule, link),
          headers:
            channel.secretHeaderName && secret
              ? { [channel.secretHeaderName]: secret }
              : {},
          secrets: secret ? [secret] : [],
          onAttemptFailed,
        });
      default:
        return this.deps.webhooks.post({
          url: secret!,
          body: slackPayload(alert, link),
          secrets: [secret!],
          onAttemptFailed,
        });
    }
  }
}
