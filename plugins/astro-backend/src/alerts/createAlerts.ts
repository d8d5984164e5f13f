import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AstroDatabase } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { AlertDispatcher, DeploymentLink } from './AlertDispatcher';
import { AlertRecipients } from './AlertRecipients';
import { NotificationChannel } from './channels/NotificationChannel';
import { WebhookChannel, WebhookOptions } from './channels/WebhookChannel';
import { readWebhookTargetPolicy } from './channels/WebhookTargetPolicy';

/** Reads `astro.alerts.webhook.*`. */
export function readWebhookOptions(config: Config): WebhookOptions {
  const webhook = config.getOptionalConfig('astro.alerts.webhook');
  return {
    maxAttempts: webhook?.getOptionalNumber('maxAttempts') ?? 3,
    initialBackoffMs: webhook?.getOptionalNumber('initialBackoffMs') ?? 2000,
    timeoutMs: webhook?.getOptionalNumber('timeoutMs') ?? 10_000,
    targets: readWebhookTargetPolicy(config),
  };
}

/**
 * Where the portal's Deployment page is: under `app.baseUrl` and
 * `astro.portal.frontendPath` (an absolute link, which e-mails and chat
 * messages need), or a path when the app's URL is not configured.
 */
export function deploymentLinkFromConfig(config: Config): DeploymentLink {
  const base = `${(config.getOptionalString('app.baseUrl') ?? '').replace(
    /\/+$/,
    '',
  )}${config.getOptionalString('astro.portal.frontendPath') ?? '/astro'}`;
  return (organization, deployment) =>
    `${base}/organizations/${encodeURIComponent(
      organization,
    )}/deployments/${encodeURIComponent(deployment)}`;
}

/** Builds the alert dispatcher from config and Backstage's services. */
export function createAlertDispatcher(options: {
  config: Config;
  logger: LoggerService;
  db: AstroDatabase;
  secrets: SecretBox;
  notifications: NotificationService;
  catalog: CatalogService;
  auth: AuthService;
  clock?: () => Date;
}): AlertDispatcher {
  return new AlertDispatcher({
    db: options.db,
    secrets: options.secrets,
    logger: options.logger.child({ component: 'alerts' }),
    notifications: new NotificationChannel(
      options.notifications,
      new AlertRecipients(options.db, options.catalog, options.auth),
    ),
    webhooks: new WebhookChannel(readWebhookOptions(options.config)),
    link: deploymentLinkFromConfig(options.config),
    clock: options.clock,
  });
}
