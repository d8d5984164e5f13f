import { readFile } from 'node:fs/promises';
import { test, expect, Page } from './fixtures';
import {
  astroApi,
  BACKEND_URL,
  screenshot,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * Deployments as code in the browser: a Deployment's file is exported
 * from its Settings tab, changed, imported as a new Deployment into another
 * workspace and back over the original (a replace, previewed change by
 * change); an invalid file shows the field and line the backend names and
 * creates nothing.
 */

test.use({ actionTimeout: 30_000, viewport: { width: 1440, height: 900 } });

const ORG = 'demo';

async function openImportDialog(page: Page) {
  await page.getByRole('button', { name: 'Import deployment file' }).click();
  return page.getByRole('dialog', { name: 'Import deployment file' });
}

/** The deployment file the backend serves for a Deployment. */
async function servedFile(name: string): Promise<string> {
  const refresh = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`);
  const token = (await refresh.json()).backstageIdentity.token;
  const response = await fetch(
    `${BACKEND_URL}/api/astro/organizations/${ORG}/deployments/${name}/spec`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(response.status).toBe(200);
  return response.text();
}

async function maxWorkersOf(name: string) {
  const { status, json } = await astroApi(
    'GET',
    `/organizations/${ORG}/deployments/${name}`,
  );
  return status === 200 ? json.settings.workerQueues[0].maxWorkers : status;
}

test('a deployment file exports, imports as a new Deployment and as a replace, and an invalid one creates nothing', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(4 * 60_000);
  const name = `file-${Date.now().toString(36)}`;
  const copy = `${name}-copy`;
  const created = await astroApi('POST', `/organizations/${ORG}/deployments`, {
    name,
    workspace: 'data-engineering',
    settings: {
      workerQueues: [{ name: 'default', isDefault: true, maxWorkers: 3 }],
      environmentVariables: [{ key: 'LOG_LEVEL', value: 'info' }],
    },
  });
  expect(created.status).toBe(201);
  try {
    await signInAsGuest(page);

    let exported = '';
    await test.step('export from the Settings tab', async () => {
      await page.goto(
        `/astro/organizations/${ORG}/deployments/${name}?tab=settings`,
      );
      await expect(
        page.getByText('Secret values are not included'),
      ).toBeVisible();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export deployment file' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${name}.yaml`);
      exported = await readFile(await download.path(), 'utf8');
      const served = await servedFile(name);
      expect(exported).toBe(served);
      expect(exported).toContain('maxWorkers: 3');
    });
    const changed = exported.replace('maxWorkers: 3', 'maxWorkers: 6');

    await test.step('an invalid file names its field and line and creates nothing', async () => {
      const bad = `${name}-bad`;
      // The backend's dry run refuses the file.
      consoleGuard.expectFailedRequests({
        method: 'POST',
        path: `/organizations/${ORG}/deployments:import`,
        status: 400,
      });
      await page.goto(`/astro/organizations/${ORG}/workspaces/analytics`);
      const dialog = await openImportDialog(page);
      await dialog
        .getByLabel('Deployment file (YAML)')
        .fill(
          exported
            .replace(`name: ${name}`, `name: ${bad}`)
            .replace('executor: CELERY', 'executor: SEQUENTIAL'),
        );
      await dialog.getByRole('button', { name: 'Review import' }).click();
      const line =
        exported.split('\n').findIndex(l => l.trim() === 'executor: CELERY') +
        1;
      const problems = dialog.getByRole('list', {
        name: 'Problems in the file',
      });
      await expect(problems).toContainText(
        `spec.settings.executor (line ${line}): `,
      );
      await screenshot(page, 'deployment-file-import-invalid');
      await expect(
        dialog.getByRole('button', { name: 'Create Deployment' }),
      ).toHaveCount(0);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await maxWorkersOf(bad)).toBe(404);
    });

    await test.step('import as a new Deployment in another workspace', async () => {
      await page.goto(`/astro/organizations/${ORG}/workspaces/analytics`);
      const dialog = await openImportDialog(page);
      await dialog.getByTestId('astro-deployment-file-input').setInputFiles({
        name: `${copy}.yaml`,
        mimeType: 'application/yaml',
        buffer: Buffer.from(
          changed
            .replace(`name: ${name}`, `name: ${copy}`)
            .replace('workspace: data-engineering', 'workspace: analytics'),
        ),
      });
      await expect(dialog.getByText(`${copy}.yaml,`)).toBeVisible();
      await dialog.getByRole('button', { name: 'Review import' }).click();
      await expect(dialog.getByText(/^Creates Deployment/)).toHaveText(
        new RegExp(
          `^Creates Deployment ${copy} in workspace analytics on cluster `,
        ),
      );
      await expect(dialog.getByText('default: A5, 0–6 workers')).toBeVisible();
      await screenshot(page, 'deployment-file-import-create');
      expect(await maxWorkersOf(copy)).toBe(404);
      await dialog.getByRole('button', { name: 'Create Deployment' }).click();
      await expect(
        page.getByText(`Deployment ${copy} created from the deployment file.`),
      ).toBeVisible();
      await expect(page).toHaveURL(
        new RegExp(`/astro/organizations/${ORG}/deployments/${copy}$`),
      );
      expect(await maxWorkersOf(copy)).toBe(6);
    });

    await test.step('import over the original: a replace with its changes', async () => {
      await page.goto(
        `/astro/organizations/${ORG}/deployments/${name}?tab=settings`,
      );
      const dialog = await openImportDialog(page);
      await dialog.getByLabel('Deployment file (YAML)').fill(changed);
      await dialog.getByRole('button', { name: 'Review import' }).click();
      await expect(
        dialog.getByText(/^Replaces the settings of the existing/),
      ).toContainText(`Deployment ${name} in workspace data-engineering`);
      const rows = dialog
        .getByRole('table', { name: 'Changes' })
        .getByRole('row');
      await expect(rows).toHaveCount(2);
      await expect(rows.nth(1)).toHaveText(
        'Queue "default": maximum workers36',
      );
      await screenshot(page, 'deployment-file-import-replace');
      expect(await maxWorkersOf(name)).toBe(3);
      await dialog.getByRole('button', { name: 'Replace settings' }).click();
      await expect(
        page.getByText(
          `Settings of Deployment ${name} replaced from the deployment file.`,
        ),
      ).toBeVisible();
      await page.goto(
        `/astro/organizations/${ORG}/deployments/${name}?tab=settings`,
      );
      await expect(
        page.getByText('default (default): A5, 0–6 workers × 5'),
      ).toBeVisible();
      expect(await maxWorkersOf(name)).toBe(6);
    });
  } finally {
    consoleGuard.expectFailedRequests(
      deploymentGone(copy, ORG),
      deploymentGone(name, ORG),
    );
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${copy}`);
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
