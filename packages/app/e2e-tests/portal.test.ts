import { test, expect } from './fixtures';
import { signInAsGuest, screenshot } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test('the portal lands on the Airflow home, branded, with the catalog at /catalog', async ({
  page,
}) => {
  await signInAsGuest(page);
  // `/` redirects to the Airflow home.
  await expect(page).toHaveURL(/\/astro$/);
  await expect(
    page.getByRole('heading', { name: 'Airflow Deployments' }),
  ).toBeVisible();

  const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
  const brand = sidebar.getByRole('link', { name: 'Airflow Portal home' });
  await expect(brand).toBeVisible();
  await expect(brand).toHaveAttribute('href', '/');

  await sidebar.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog/);
  await expect(page.getByText('Page not found')).toHaveCount(0);
  await expect(
    page.getByRole('heading', { name: /Catalog/ }).first(),
  ).toBeVisible();
  await screenshot(page, 'catalog');

  await sidebar.getByRole('link', { name: 'Airflow', exact: true }).click();
  await expect(page).toHaveURL(/\/astro$/);
  await expect(
    page.getByRole('heading', { name: 'Airflow Deployments' }),
  ).toBeVisible();
  await screenshot(page, 'overview');
});

test('a page of a missing workspace or organization makes one failing request, its own', async ({
  page,
  consoleGuard,
}) => {
  const missingWorkspace = '/organizations/demo/workspaces/no-such-workspace';
  const missingOrganization = '/organizations/no-such-org/workspaces/analytics';
  // The page's own read answers 404; nothing else it asks may fail.
  consoleGuard.expectFailedRequests(
    { method: 'GET', path: missingWorkspace, status: 404 },
    { method: 'GET', path: missingOrganization, status: 404 },
  );
  await signInAsGuest(page);
  for (const path of [missingWorkspace, missingOrganization]) {
    await page.goto(`/astro${path}`);
    await expect(
      page.getByText(/Could not find workspace (no-such-workspace|analytics)/),
    ).toBeVisible();
  }
});
