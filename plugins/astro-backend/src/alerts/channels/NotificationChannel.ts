import { NotificationService } from '@backstage/plugin-notifications-node';
import { Alert } from '../alertEvents';
import { AlertRecipientDirectory } from '../AlertRecipients';
import { AlertDeliveryError } from './AlertDeliveryError';

/** The notifications topic of every Astro alert (users filter on it). */
export const ALERT_NOTIFICATION_TOPIC = 'astro-alerts';

/**
 * Sends alerts through Backstage's notifications service: to the owners
 * of the Deployment (its owner and everyone bound to a role on its
 * workspace or on it), or to the catalog users with given e-mail
 * addresses, whom the notifications e-mail processor e-mails when it is
 * installed and configured. The alert's scope makes alerts about one
 * incident or DAG run one notification, updated in place.
 */
export class NotificationChannel {
  constructor(
    private readonly notifications: NotificationService,
    private readonly recipients: AlertRecipientDirectory,
  ) {}

  async sendToOwners(alert: Alert, link: string): Promise<void> {
    const owners = await this.recipients.ownersOf(alert.deployment);
    if (owners.length === 0) {
      throw new AlertDeliveryError(
        `Deployment ${alert.deployment.organization_name}/${alert.deployment.name} has no owner and no role bindings to notify`,
        1,
      );
    }
    await this.send(alert, link, owners);
  }

  async sendToEmails(
    alert: Alert,
    link: string,
    addresses: string[],
  ): Promise<void> {
    const users = await this.recipients.usersByEmail(addresses);
    const unknown = addresses.filter(a => !users.has(a.toLowerCase()));
    if (users.size > 0) {
      await this.send(alert, link, [...new Set(users.values())]);
    }
    if (unknown.length > 0) {
      throw new AlertDeliveryError(
        `no catalog user has the e-mail address ${unknown.join(', ')}${
          users.size > 0 ? ' (the others were notified)' : ''
        }`,
        1,
      );
    }
  }

  private async send(alert: Alert, link: string, entityRef: string[]) {
    await this.notifications.send({
      recipients: { type: 'entity', entityRef },
      payload: {
        title: alert.title,
        description: alert.description,
        link,
        severity: alert.severity,
        topic: ALERT_NOTIFICATION_TOPIC,
        scope: alert.scope,
      },
    });
  }
}
