import { test, expect } from '@playwright/test';
import { signInAsGuest, screenshot } from './helpers';

test('a guest reaches the Airflow page from the sidebar', async ({ page }) => {
  await signInAsGuest(page);

  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Airflow', exact: true })
    .click();

  await expect(page).toHaveURL(/\/astro$/);
  await expect(
    page.getByRole('heading', { name: 'Airflow Deployments' }),
  ).toBeVisible();
  await screenshot(page, 'overview');
});
