import { test, expect } from './fixtures';
import {
  astroApi,
  screenshot,
  signInAsGuest,
  SIMULATOR_TOKEN,
  SIMULATOR_URL,
} from './helpers';

/*
 * A platform engineer registers a cluster on the Clusters page, pointing at
 * the simulator's API server with its token: the backend drives it through
 * the production Kubernetes driver, the page shows it reachable with the
 * capacity of its nodes and what a Deployment's quota reserves of it;
 * deleting it is refused while the Deployment runs there, and works once it
 * is gone.
 */

test.use({ actionTimeout: 30_000 });

const ORG = 'demo';

test('a cluster registered on the Clusters page is reachable, shows its capacity, and is deleted once empty', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(5 * 60_000);
  const suffix = Date.now().toString(36);
  const name = `e2e-${suffix}`;
  const title = `Lab cluster ${suffix}`;
  const deployment = `on-${name}`;
  // Deleting the cluster while a Deployment runs there is refused.
  consoleGuard.expectFailedRequests({
    method: 'DELETE',
    path: `/clusters/${name}`,
    status: 409,
  });

  await signInAsGuest(page);
  await page.goto('/astro/clusters');

  await test.step('register the cluster', async () => {
    await page.getByRole('button', { name: 'Register cluster' }).click();
    const dialog = page.getByRole('dialog', { name: 'Register cluster' });
    // An empty form says what is missing and sends nothing.
    await dialog.getByRole('button', { name: 'Register' }).click();
    await expect(dialog.getByLabel('Name')).toBeFocused();

    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Title').fill(title);
    await dialog.getByLabel('Provider').fill('on-prem');
    await dialog.getByLabel('Region').fill('lab');
    await dialog.getByLabel('API server URL').fill(SIMULATOR_URL);
    await dialog.getByLabel('Token').fill(SIMULATOR_TOKEN);
    await screenshot(page, 'clusters-register');
    await dialog.getByRole('button', { name: 'Register' }).click();
    await expect(dialog).toBeHidden();
  });

  const row = page.getByRole('row').filter({ hasText: title });
  await test.step('see it reachable with the capacity of its nodes', async () => {
    await expect(row).toContainText('Reachable since');
    await expect(row).toContainText('Registered through the API');
    await expect(row).toContainText(
      '0 of 126.4 CPU, 0 of 496 GiB reserved by quotas',
    );
    await expect(row).toContainText('8 nodes');
    await expect(page.locator('body')).not.toContainText(SIMULATOR_TOKEN);
  });

  await test.step('a Deployment on it reserves its quota and keeps it', async () => {
    const created = await astroApi(
      'POST',
      `/organizations/${ORG}/deployments`,
      { name: deployment, workspace: 'data-engineering', cluster: name },
    );
    expect(created.status).toBe(201);
    await page.reload();
    await expect(row).toContainText(
      '40 of 126.4 CPU, 80 of 496 GiB reserved by quotas',
    );
    await expect(
      row.getByRole('progressbar', { name: 'CPU reserved by quotas: 32%' }),
    ).toBeVisible();
    await screenshot(page, 'clusters');

    await row.getByRole('button', { name: `Delete cluster ${name}` }).click();
    const confirm = page.getByRole('dialog', { name: /^Delete cluster/ });
    await confirm.getByRole('button', { name: 'Delete cluster' }).click();
    await expect(confirm.getByRole('alert')).toContainText(
      `Cluster "${name}" still runs 1 deployment(s)`,
    );
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
  });

  await test.step('delete it once the Deployment is gone', async () => {
    const removed = await astroApi(
      'DELETE',
      `/organizations/${ORG}/deployments/${deployment}`,
    );
    expect(removed.status).toBe(202);
    await expect
      .poll(
        async () =>
          (
            await astroApi('GET', `/clusters/${name}`)
          ).json.deploymentCount,
        { timeout: 120_000 },
      )
      .toBe(0);
    await page.reload();
    await row.getByRole('button', { name: `Delete cluster ${name}` }).click();
    const confirm = page.getByRole('dialog', { name: /^Delete cluster/ });
    await confirm.getByRole('button', { name: 'Delete cluster' }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toHaveCount(0);
    expect((await astroApi('GET', `/clusters/${name}`)).status).toBe(404);
  });
});
