import { AlertRuleRecord } from '../../store';
import { Alert } from '../alertEvents';

/**
 * The JSON body of a generic webhook (version 1). Documented in the
 * astro-backend README ("Alerts"); fields are only ever added.
 */
export function webhookPayload(
  alert: Alert,
  rule: AlertRuleRecord,
  link: string,
) {
  const { deployment } = alert;
  return {
    version: 1,
    event: alert.kind,
    title: alert.title,
    description: alert.description,
    severity: alert.severity,
    occurredAt: alert.occurredAt,
    link,
    rule: { id: rule.row.id, name: rule.row.name, type: rule.row.type },
    deployment: {
      id: deployment.id,
      organization: deployment.organization_name,
      workspace: deployment.workspace_name,
      name: deployment.name,
    },
    ...(alert.incident ? { incident: alert.incident } : {}),
    ...(alert.dagRun ? { dagRun: alert.dagRun } : {}),
  };
}

/** Slack's mrkdwn escapes (`&`, `<`, `>`). */
function escapeSlack(text: string) {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * The body of a Slack-compatible incoming webhook: `text` (the fallback
 * shown in notifications) and `blocks` (header, description, link).
 */
export function slackPayload(alert: Alert, link: string) {
  return {
    text: alert.title,
    blocks: [
      {
        type: 'header',
        text: { type: 'plain_text', text: alert.title.slice(0, 150) },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: escapeSlack(alert.description) },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Severity: ${alert.severity} · <${link}|Open the Deployment in the portal>`,
          },
        ],
      },
    ],
  };
}
