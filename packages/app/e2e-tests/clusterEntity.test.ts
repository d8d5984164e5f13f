import { test, expect } from './fixtures';
import { astroApi, screenshot, signInAsGuest } from './helpers';

/*
 * The AstroCluster entity page of a cluster with many Deployments: the demo
 * seed plus a few dozen Deployments on the simulator cluster. Its
 * Deployments are one paged card, and the relations graph does not grow with
 * them, so the page stays about a screen tall.
 */

test.use({ viewport: { width: 1440, height: 900 }, actionTimeout: 30_000 });

const ORG = 'demo';
const COUNT = 36;
const MAX_PAGE_HEIGHT = 2500;

test('an AstroCluster entity with dozens of Deployments pages them and stays short', async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  const ws = `cl-${Date.now().toString(36)}`;
  const names = Array.from(
    { length: COUNT },
    (_, i) => `${ws}-${String(i).padStart(2, '0')}`,
  );
  const created = await astroApi('POST', `/organizations/${ORG}/workspaces`, {
    name: ws,
    title: `Cluster page ${ws}`,
  });
  expect(created.status).toBe(201);
  try {
    for (let i = 0; i < names.length; i += 6) {
      await Promise.all(
        names.slice(i, i + 6).map(async name => {
          const { status } = await astroApi(
            'POST',
            `/organizations/${ORG}/deployments`,
            { name, workspace: ws, cluster: 'simulator' },
          );
          expect(status).toBe(201);
        }),
      );
    }
    const onCluster = (
      await astroApi('GET', '/deployments?cluster=simulator&limit=1')
    ).json.totalCount as number;
    expect(onCluster).toBeGreaterThanOrEqual(COUNT);

    await signInAsGuest(page);
    // The catalog carries the Deployments' relations to the cluster within
    // seconds of their creation.
    await expect
      .poll(
        async () =>
          (
            await astroApi('GET', '/deployments?cluster=simulator&limit=1')
          ).json.totalCount,
      )
      .toBe(onCluster);
    await page.goto('/catalog/default/astrocluster/simulator');

    const card = page
      .locator('article, [class*="MuiCard-root"]')
      .filter({ hasText: 'Deployments on this cluster' })
      .first();
    await expect(
      card.getByText(`Deployments on this cluster (${onCluster})`),
    ).toBeVisible();
    // A page of ten, linking to each Deployment's page.
    const rows = card.locator('tbody tr');
    await expect(rows).toHaveCount(10);
    const firstLink = rows.first().getByRole('link').first();
    await expect(firstLink).toHaveAttribute(
      'href',
      /\/astro\/organizations\/[^/]+\/deployments\/[^/]+$/,
    );
    await expect(card.getByText(`1-10 of ${onCluster}`)).toBeVisible();
    // Organization and workspace by their titles.
    await expect(
      rows.first().getByRole('link', { name: /^Demo Organization \/ / }),
    ).toBeVisible();
    const firstOfPage1 = await firstLink.textContent();
    await card.getByRole('button', { name: 'Next page' }).click();
    await expect(card.getByText(`11-20 of ${onCluster}`)).toBeVisible();
    await expect(firstLink).not.toHaveText(firstOfPage1!);
    await expect(rows).toHaveCount(10);

    // Let the graph card (if any) and every other card finish rendering.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(2000);
    const height = await page.evaluate(() =>
      Math.max(
        document.documentElement.scrollHeight,
        document.body.scrollHeight,
      ),
    );
    test.info().annotations.push({
      type: 'page height (px)',
      description: String(height),
    });
    // eslint-disable-next-line no-console
    console.log(`AstroCluster entity page: ${height} px tall at 1440x900`);
    await screenshot(page, 'cluster-entity');
    expect(height).toBeLessThan(MAX_PAGE_HEIGHT);
  } finally {
    for (let i = 0; i < names.length; i += 6) {
      await Promise.all(
        names
          .slice(i, i + 6)
          .map(name =>
            astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`),
          ),
      );
    }
  }
});
