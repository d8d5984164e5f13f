import path from 'node:path';
import { test, expect, Page } from './fixtures';
import {
  SCREENSHOT_DIR,
  astroApi,
  openDeploymentTab,
  screenshot,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * Errors in the Deployment forms, at the size people use the portal on a
 * laptop: a submit from the bottom of the Create form with an invalid
 * field far above brings that field into view with the focus on it and
 * shows the summary, which goes away once the field is fixed; on the Edit
 * form a quota the backend finds too small shows at the quota field, and
 * a quota that fits is saved and shown on the Settings tab.
 */

test.use({ actionTimeout: 30_000, viewport: { width: 1440, height: 900 } });

const ORG = 'demo';
const WORKSPACE = 'data-engineering';

/** What the user sees now, not the whole page: the focused field's context. */
async function screenshotViewport(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

test('form errors focus the first invalid field; the quota is edited and shown', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(5 * 60_000);
  const name = `form-${Date.now().toString(36)}`;
  // The backend refuses the quota too small for the Deployment's queues.
  consoleGuard.expectFailedRequests({
    method: 'PATCH',
    path: `/organizations/${ORG}/deployments/${name}`,
    status: 400,
  });

  try {
    await signInAsGuest(page);

    await test.step('a failed submit from the bottom focuses the invalid field', async () => {
      await page.goto(
        `/astro/organizations/${ORG}/deployments/new?workspace=${WORKSPACE}`,
      );
      const form = page.getByRole('form', { name: 'Create Deployment' });
      await form.getByRole('textbox', { name: /^Name/ }).fill(name);
      const queue = form.getByRole('group', { name: 'Worker queue default' });
      await queue.getByLabel('Minimum workers').fill('8');
      const max = queue.getByLabel('Maximum workers');
      await max.fill('5');

      const create = form.getByRole('button', { name: 'Create Deployment' });
      await create.scrollIntoViewIfNeeded();
      await expect(max).not.toBeInViewport();
      await create.click();

      await expect(max).toBeFocused();
      await expect(max).toBeInViewport();
      const summary = form
        .getByRole('alert')
        .filter({ hasText: 'Some fields need fixing' });
      await expect(summary).toBeVisible();
      await expect(summary).toContainText(
        'Queue “default”: Maximum workers must be at least the minimum workers (8)',
      );
      await expect(
        queue.getByText('must be at least the minimum workers (8)'),
      ).toBeVisible();
      await screenshotViewport(page, 'form-errors-focused');
      await screenshot(page, 'form-errors-summary');

      await max.fill('10');
      await expect(summary).toHaveCount(0);
      await screenshot(page, 'form-errors-fixed');
      await create.click();
      await expect(page.getByRole('heading', { name })).toBeVisible();
    });

    await test.step('a quota too small shows at its field; one that fits is saved', async () => {
      await page.getByRole('button', { name: 'Edit settings' }).click();
      const form = page.getByRole('form', { name: 'Edit Deployment' });
      const cpu = form.getByLabel('Quota CPU');
      await expect(cpu).toHaveValue('40');
      await cpu.fill('2');
      await form.getByRole('button', { name: 'Review changes' }).click();
      const dialog = page.getByRole('dialog', { name: 'Review changes' });
      await expect(dialog).toContainText('Quota CPU');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await expect(dialog).toHaveCount(0);

      await expect(cpu).toBeFocused();
      await expect(cpu).toBeInViewport();
      await expect(form.getByText(/^2 is less than the .* CPU/)).toBeVisible();
      const summary = form
        .getByRole('alert')
        .filter({ hasText: 'The change was not saved' });
      await expect(summary).toContainText('Quota CPU: 2 is less than');
      await expect(summary).toContainText('needed at full scale');
      await screenshotViewport(page, 'form-errors-quota');

      await cpu.fill('48');
      await form.getByLabel('Quota memory').fill('96Gi');
      await expect(summary).toHaveCount(0);
      await form.getByRole('button', { name: 'Review changes' }).click();
      await expect(dialog.getByRole('row')).toHaveCount(3);
      await expect(dialog).toContainText('Quota memory');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByRole('heading', { name })).toBeVisible();

      await openDeploymentTab(page, 'Settings');
      await expect(page.getByRole('tabpanel')).toContainText('48 CPU, 96Gi');
      await screenshot(page, 'form-errors-settings-tab');
    });
  } finally {
    consoleGuard.expectFailedRequests(deploymentGone(name, ORG));
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
