import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures';
import {
  astroApi,
  openDeploymentTab,
  screenshot,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * Code deploys from the portal's UI on the default config: a person deploys
 * a DAGs archive from the Deployment page, sees it become DEPLOYED once the
 * simulated components picked it up, and creates a Deployment token for CI,
 * whose value is shown once.
 */

test.use({ actionTimeout: 30_000 });

const ORG = 'demo';

/** A .tar.gz of a dags/ folder with two DAG files, made with tar(1). */
function dagsArchive(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'astro-e2e-dags-'));
  mkdirSync(path.join(dir, 'dags'));
  writeFileSync(
    path.join(dir, 'dags', 'billing.py'),
    'from airflow import DAG\nwith DAG("billing_daily"):\n    pass\n',
  );
  writeFileSync(
    path.join(dir, 'dags', 'ingest.py'),
    'from airflow.sdk import dag\n\n@dag\ndef ingest_orders():\n    pass\n',
  );
  const archive = path.join(dir, 'dags.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', path.join(dir, 'dags'), '.']);
  return archive;
}

test('deploys DAGs from the Deployment page and creates a CI token', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(5 * 60_000);
  const name = `deploy-${Date.now().toString(36)}`;
  const created = await astroApi('POST', `/organizations/${ORG}/deployments`, {
    name,
    workspace: 'data-engineering',
  });
  expect(created.status).toBe(201);
  await expect
    .poll(
      async () =>
        (
          await astroApi('GET', `/organizations/${ORG}/deployments/${name}`)
        ).json.status,
      { timeout: 150_000 },
    )
    .toBe('HEALTHY');

  try {
    await signInAsGuest(page);
    await page.goto(
      `/astro/organizations/${ORG}/deployments/${name}?tab=deploys`,
    );
    await expect(page.getByRole('heading', { name })).toBeVisible();

    await test.step('deploy a DAGs archive', async () => {
      await page.getByRole('button', { name: 'Deploy DAGs' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('input[type=file]').setInputFiles({
        name: 'dags.tar.gz',
        mimeType: 'application/gzip',
        buffer: readFileSync(dagsArchive()),
      });
      await dialog.getByLabel('Description').fill('Billing and orders DAGs');
      await screenshot(page, 'deploy-dags-dialog');
      await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
      await expect(
        dialog.getByText('Deployed: every component serves the new DAGs.'),
      ).toBeVisible({ timeout: 90_000 });
      await screenshot(page, 'deploy-dags-deployed');
      await dialog.getByRole('button', { name: 'Close' }).click();
    });

    await test.step('see it in the deploy history', async () => {
      const history = page.getByRole('table', { name: 'Deploys' });
      await expect(history.getByText('Billing and orders DAGs')).toBeVisible();
      await expect(history.getByText('DEPLOYED').first()).toBeVisible();
      const deploys = await astroApi(
        'GET',
        `/organizations/${ORG}/deployments/${name}/deploys`,
      );
      expect(deploys.json.items[0]).toMatchObject({
        type: 'DAG',
        origin: 'UI',
        status: 'DEPLOYED',
        bundle: { files: 2 },
      });
      await screenshot(page, 'deployment-code');
    });

    await test.step('create a Deployment token, shown once', async () => {
      await openDeploymentTab(page, 'Access');
      await page.getByRole('button', { name: 'Create API token' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('github-actions');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const value = page.getByRole('textbox', { name: 'Token value' });
      await expect(value).toHaveValue(/^astro_/);
      await screenshot(page, 'deployment-token-created');
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await expect(
        page.getByRole('textbox', { name: 'Token value' }),
      ).toHaveCount(0);
      await expect(
        page
          .getByRole('table', { name: 'API tokens' })
          .getByText('github-actions'),
      ).toBeVisible();
    });
  } finally {
    consoleGuard.expectFailedRequests(deploymentGone(name, ORG));
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
