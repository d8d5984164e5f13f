import { test, expect, Page } from '@playwright/test';
import { astroApi, reloadAsGuest, screenshot, signInAsGuest } from './helpers';

/*
 * The life of a Deployment through the portal's UI, on the default config
 * (guest sign-in, the built-in simulator cluster, demo organization):
 * create it from the form, watch it become HEALTHY, change its max workers
 * and see the change applied, add a secret variable that stays masked after
 * a reload, and delete it.
 */

// A missing element fails in half a minute, not at the 10-minute test limit.
test.use({ actionTimeout: 30_000 });

const ORG = 'demo';
const WORKSPACE = 'data-engineering';
/** Provisioning and rollouts on the simulator take seconds, not minutes. */
const CONVERGE_MS = 150_000;

function uniqueName(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}`;
}

async function openWorkspace(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Airflow', exact: true })
    .click();
  await expect(
    page.getByRole('heading', { name: 'Airflow Deployments' }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Data Engineering' }).click();
  await expect(
    page.getByRole('heading', { name: 'Data Engineering' }),
  ).toBeVisible();
}

test('a Deployment from creation to deletion', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const name = uniqueName('e2e');
  const secretValue = `s3cr3t-${Date.now()}`;

  await test.step('sign in and open the overview', async () => {
    await signInAsGuest(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Airflow', exact: true })
      .click();
    await expect(
      page.getByRole('link', { name: 'Data Engineering' }),
    ).toBeVisible();
    await expect(page.getByText(/^Open incidents: \d+/)).toBeVisible();
    await screenshot(page, 'overview');
  });

  await test.step('create a Deployment from the form', async () => {
    await openWorkspace(page);
    await screenshot(page, 'workspace');
    await page.getByRole('button', { name: 'Create Deployment' }).click();
    const form = page.getByRole('form', { name: 'Create Deployment' });
    await expect(form).toBeVisible();
    // Defaults come from /deployment-options.
    const queue = form.getByRole('group', { name: 'Worker queue default' });
    await expect(queue.getByLabel('Max workers')).toHaveValue('10');
    await form.getByRole('textbox', { name: /^Name/ }).fill(name);
    await form.getByLabel('Title', { exact: true }).fill(`E2E ${name}`);
    await screenshot(page, 'create-deployment');
    await form.getByRole('button', { name: 'Create Deployment' }).click();
    await expect(
      page.getByRole('heading', { name: `E2E ${name}` }),
    ).toBeVisible();
    await screenshot(page, 'deployment-provisioning');
  });

  await test.step('watch it become HEALTHY on the simulator', async () => {
    await expect(
      page.getByRole('status', { name: 'Deployment status' }),
    ).toHaveText('Healthy', { timeout: CONVERGE_MS });
    await expect(
      page.getByRole('link', { name: 'Open Airflow' }),
    ).toBeVisible();
    await screenshot(page, 'deployment-healthy');
  });

  await test.step('change max workers and see the change applied', async () => {
    await page.getByRole('button', { name: 'Edit settings' }).click();
    const form = page.getByRole('form', { name: 'Edit Deployment' });
    const queue = form.getByRole('group', { name: 'Worker queue default' });
    await queue.getByLabel('Max workers').fill('12');
    await form.getByRole('button', { name: 'Review changes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review changes' });
    await expect(dialog.getByRole('row')).toHaveCount(2);
    await expect(dialog).toContainText('Queue "default": max workers');
    await screenshot(page, 'edit-deployment-preview');
    await dialog.getByRole('button', { name: 'Save changes' }).click();

    await expect(
      page.getByRole('heading', { name: `E2E ${name}` }),
    ).toBeVisible();
    // Applied: the cluster converged to the new generation...
    await expect
      .poll(
        async () => {
          const { json } = await astroApi(
            'GET',
            `/organizations/${ORG}/deployments/${name}`,
          );
          return json.observedGeneration >= json.generation
            ? json.settings.workerQueues[0].maxWorkers
            : 'rolling out';
        },
        { timeout: CONVERGE_MS },
      )
      .toBe(12);
    // ...and the page says so, with the worker queue scaled to 12 at most.
    await expect(page.getByRole('status', { name: 'Rollout' })).toContainText(
      'The cluster runs the latest settings',
      { timeout: CONVERGE_MS },
    );
    await expect(
      page.getByRole('table', { name: 'Worker queues' }).getByRole('row', {
        name: /default/,
      }),
    ).toContainText('0 – 12', { timeout: CONVERGE_MS });
    await screenshot(page, 'deployment-updated');
  });

  await test.step('add a secret variable; it stays masked after a reload', async () => {
    await page.getByRole('button', { name: 'Add variable' }).click();
    const row = page.getByRole('group', { name: 'Variable 1' });
    await row.getByLabel('Key').fill('E2E_SECRET');
    await row.getByRole('checkbox', { name: 'Secret' }).check();
    await expect(row.getByLabel('Value')).toHaveAttribute('type', 'password');
    await row.getByLabel('Value').fill(secretValue);
    await page.getByRole('button', { name: 'Save variables' }).click();
    await expect(page.getByText(/^Saved\./)).toBeVisible();

    await reloadAsGuest(page);
    const saved = page.getByRole('group', { name: 'Variable 1' });
    await expect(saved.getByLabel('Key')).toHaveValue('E2E_SECRET');
    await expect(saved.getByLabel('Value')).toHaveValue('');
    await expect(saved.getByLabel('Value')).toHaveAttribute('type', 'password');
    await expect(saved).toContainText('Stored secret, never shown');
    expect(await page.content()).not.toContain(secretValue);
    await screenshot(page, 'deployment-variables');
  });

  await test.step('delete it with its name typed as confirmation', async () => {
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', {
      name: `Delete Deployment ${name}?`,
    });
    const confirm = dialog.getByRole('button', { name: 'Delete Deployment' });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel('Deployment name').fill(name);
    await confirm.click();
    await expect(
      page.getByRole('heading', { name: 'Data Engineering' }),
    ).toBeVisible();
    // Gone once the platform removed its namespace and database.
    await expect(page.getByRole('link', { name, exact: true })).toHaveCount(0, {
      timeout: CONVERGE_MS,
    });
    await expect
      .poll(
        async () =>
          (
            await astroApi('GET', `/organizations/${ORG}/deployments/${name}`)
          ).status,
        { timeout: CONVERGE_MS },
      )
      .toBe(404);
  });
});

test('the clusters page labels the simulator', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/astro/clusters');
  const enter = page.getByRole('button', { name: 'Enter' });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(
    page.getByText('Simulator (not a real cluster)').first(),
  ).toBeVisible();
  await screenshot(page, 'clusters');
});
