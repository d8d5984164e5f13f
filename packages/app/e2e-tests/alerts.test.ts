import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { test, expect } from './fixtures';
import {
  astroApi,
  screenshot,
  setSchedulerCrashLoop,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * An alert rule made in the browser delivers for real: a webhook rule on
 * incidents, created on the Deployment page, receives the crash-loop
 * incident the monitoring pass opens when the simulator crash-loops the
 * scheduler, with its secret header; the rule's deliveries show it sent.
 */

test.use({ actionTimeout: 30_000 });

const ORG = 'demo';

interface Received {
  headers: IncomingHttpHeaders;
  body: any;
}

/** A webhook receiver on a free local port. */
async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', chunk => {
      text += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text || '{}') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/airflow`,
    received,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

test('an alert rule made on the Deployment page delivers an incident to its webhook', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(5 * 60_000);
  const receiver = await startReceiver();
  const name = `alerts-${Date.now().toString(36)}`;
  const created = await astroApi('POST', `/organizations/${ORG}/deployments`, {
    name,
    workspace: 'data-engineering',
  });
  expect(created.status).toBe(201);
  const namespace: string = created.json.namespace;
  try {
    await expect
      .poll(
        async () =>
          (
            await astroApi('GET', `/organizations/${ORG}/deployments/${name}`)
          ).json.status,
        { timeout: 120_000 },
      )
      .toBe('HEALTHY');

    await signInAsGuest(page);
    await page.goto(
      `/astro/organizations/${ORG}/deployments/${name}?tab=incidents`,
    );
    await page.getByRole('button', { name: 'Create alert rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create alert rule' });
    await dialog.getByLabel('Name').fill('scheduler-down');
    await dialog.getByLabel('Alert when').click();
    await page.getByRole('option', { name: /Incident opened/ }).click();
    await dialog.getByLabel('Least severity').click();
    await page.getByRole('option', { name: 'Warning' }).click();
    await dialog.getByLabel('Channel 1').click();
    await page.getByRole('option', { name: /Webhook/ }).click();
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByLabel('Secret header (optional)').fill('Authorization');
    await dialog.getByLabel('Header value').fill('Bearer e2e-webhook-secret');
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await expect(dialog).toBeHidden();

    const rules = page.getByRole('table', { name: 'Alert rules' });
    const row = rules.getByRole('row', { name: /scheduler-down/ });
    await expect(row).toContainText(
      'An incident of severity warning or critical opens.',
    );
    await expect(row).toContainText(
      `Webhook ${receiver.url} (with secret header Authorization)`,
    );
    // The secret is write-only: nowhere on the page.
    await expect(page.getByText('e2e-webhook-secret')).toHaveCount(0);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'deployment-alert-rules');

    await setSchedulerCrashLoop(namespace, true);
    // The monitoring pass (once a minute) opens the incident and alerts.
    await expect
      .poll(() => receiver.received.length, { timeout: 180_000 })
      .toBeGreaterThan(0);
    const [delivery] = receiver.received;
    expect(delivery.headers.authorization).toBe('Bearer e2e-webhook-secret');
    expect(JSON.stringify(delivery.body)).toContain(name);

    await row
      .getByRole('button', { name: 'Deliveries of scheduler-down' })
      .click();
    const deliveries = page.getByRole('dialog', {
      name: 'Deliveries of scheduler-down',
    });
    await expect(
      deliveries.getByRole('table', { name: 'Deliveries' }),
    ).toContainText('Sent (1 attempt)');
    await expect(deliveries).toContainText('Incident opened');
    await screenshot(page, 'deployment-alert-deliveries');
  } finally {
    consoleGuard.expectFailedRequests(deploymentGone(name, ORG));
    await setSchedulerCrashLoop(namespace, false).catch(() => undefined);
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
    await receiver.close();
  }
});
