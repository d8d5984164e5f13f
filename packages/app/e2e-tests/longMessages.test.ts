import { test, expect } from './fixtures';
import {
  SIMULATOR_TOKEN,
  SIMULATOR_URL,
  astroApi,
  screenshot,
  setSchedulerCrashLoop,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * A crash-looping component's Kubernetes reason (a long line with the pod's
 * UID) reads as a sentence and does not squeeze the components table: every
 * column keeps a readable width and the table stays inside its card; the
 * raw text is one click away.
 */

test.use({ actionTimeout: 30_000 });

const ORG = 'demo';

test('a long Kubernetes reason does not break the components table', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(4 * 60_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const name = `long-${Date.now().toString(36)}`;
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
    await setSchedulerCrashLoop(namespace, true);

    await signInAsGuest(page);
    await page.goto(
      `/astro/organizations/${ORG}/deployments/${name}?tab=workers`,
    );
    const table = page.getByRole('table', { name: 'Components' });
    const scheduler = table.getByRole('row', { name: /^scheduler/ });
    await expect(scheduler).toContainText('Failed', { timeout: 90_000 });
    await expect(scheduler).toContainText('Container scheduler keeps crashing');
    // The pod's UID is in the raw text only, which is folded away.
    const uid = await (
      await fetch(
        `${SIMULATOR_URL}/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(
          'app.kubernetes.io/component=scheduler',
        )}`,
        { headers: { Authorization: `Bearer ${SIMULATOR_TOKEN}` } },
      )
    ).json();
    const podUid: string = uid.items[0].metadata.uid;
    await expect(scheduler).not.toContainText(podUid);

    // Every column stays readable, and the table fits its card.
    const headers = await table.locator('thead th').evaluateAll(cells =>
      cells.map(cell => ({
        text: cell.textContent,
        width: cell.getBoundingClientRect().width,
      })),
    );
    for (const header of headers) {
      expect(header.width, `column ${header.text}`).toBeGreaterThan(70);
    }
    const tableBox = (await table.boundingBox())!;
    const cardBox = (await table
      .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]')
      .boundingBox())!;
    expect(tableBox.width).toBeLessThanOrEqual(cardBox.width);
    await scheduler.scrollIntoViewIfNeeded();
    await screenshot(page, 'deployment-long-reason');

    await scheduler.getByRole('button', { name: 'Details' }).click();
    await expect(scheduler).toContainText(podUid);
  } finally {
    consoleGuard.expectFailedRequests(deploymentGone(name, ORG));
    await setSchedulerCrashLoop(namespace, false).catch(() => undefined);
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
