import { test, expect, Page } from './fixtures';
import { astroApi, screenshot, signInAsGuest } from './helpers';

/*
 * The Airflow home: the portal lands on it, its Deployments table spans
 * organizations and workspaces, narrows to the hits of its filters (kept in
 * the address) with a single empty state, and its tabs show workspaces and
 * clusters; none of it logs a warning or error from our packages.
 */

test.use({ actionTimeout: 30_000, viewport: { width: 1440, height: 900 } });

const RUN = Date.now().toString(36);
/** Two organizations, each with a workspace named "analytics". */
const ORG_A = { name: `home-a-${RUN}`, title: `Home A ${RUN}` };
const ORG_B = { name: `home-b-${RUN}`, title: `Home B ${RUN}` };
const ALPHA = `alpha-${RUN}`;
const BETA = `beta-${RUN}`;
const CONVERGE_MS = 150_000;

async function ok(method: string, path: string, body?: unknown) {
  const response = await astroApi(method, path, body);
  expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
  return response.json;
}

async function statusOf(org: string, name: string) {
  return (await astroApi('GET', `/organizations/${org}/deployments/${name}`))
    .json?.status;
}

/** The names of the Deployments the table shows. */
async function rowNames(page: Page) {
  const rows = page.getByRole('table').locator('tbody tr');
  return rows.locator('td:first-child a').allTextContents();
}

async function choose(page: Page, label: string, option: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test.beforeAll(async () => {
  test.setTimeout(CONVERGE_MS + 60_000);
  for (const org of [ORG_A, ORG_B]) {
    await ok('POST', '/organizations', org);
    await ok('POST', `/organizations/${org.name}/workspaces`, {
      name: 'analytics',
      title: 'Analytics',
    });
  }
  await ok('POST', `/organizations/${ORG_A.name}/deployments`, {
    name: ALPHA,
    workspace: 'analytics',
  });
  await ok('POST', `/organizations/${ORG_B.name}/deployments`, {
    name: BETA,
    workspace: 'analytics',
  });
  // alpha runs; beta is put to sleep, so the two differ in status.
  await expect
    .poll(() => statusOf(ORG_A.name, ALPHA), { timeout: CONVERGE_MS })
    .toBe('HEALTHY');
  await ok(
    'POST',
    `/organizations/${ORG_B.name}/deployments/${BETA}/hibernation-override`,
    { isHibernating: true },
  );
  await expect
    .poll(() => statusOf(ORG_B.name, BETA), { timeout: CONVERGE_MS })
    .toBe('HIBERNATING');
});

test('the Airflow home finds Deployments across organizations', async ({
  page,
}) => {
  test.setTimeout(5 * 60_000);

  await test.step('the portal lands on the Airflow home', async () => {
    await signInAsGuest(page);
    await expect(page).toHaveURL(/\/astro$/);
    await expect(
      page.getByRole('heading', { name: 'Airflow Deployments' }),
    ).toBeVisible();
    await expect(
      page.getByRole('tab', { name: 'Deployments' }),
    ).toHaveAttribute('aria-selected', 'true');
  });

  await test.step('search by name shows the hits only', async () => {
    await page.getByLabel('Search by name or title').fill(RUN);
    await expect(
      page.getByRole('heading', { name: 'Deployments (2)' }),
    ).toBeVisible();
    await expect.poll(() => rowNames(page)).toEqual([ALPHA, BETA]);
    // Names repeat across organizations: the organization tells them apart.
    const table = page.getByRole('table');
    await expect(
      table.getByRole('link', { name: `${ORG_A.title} / Analytics` }),
    ).toBeVisible();
    await expect(
      table.getByRole('link', { name: `${ORG_B.title} / Analytics` }),
    ).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`[?&]q=${RUN}`));
    await screenshot(page, 'home-deployments');
  });

  await test.step('organization and workspace filters narrow to one organization', async () => {
    await choose(page, 'Organization', ORG_A.title);
    await expect(
      page.getByRole('heading', { name: 'Deployments (1)' }),
    ).toBeVisible();
    await expect.poll(() => rowNames(page)).toEqual([ALPHA]);
    await expect(page).toHaveURL(new RegExp(`[?&]org=${ORG_A.name}`));

    await page.getByLabel('Workspace', { exact: true }).click();
    const options = page.getByRole('option');
    await expect(options).toHaveText([
      'Any workspace',
      `${ORG_A.title} / Analytics`,
    ]);
    await options.filter({ hasText: `${ORG_A.title} / Analytics` }).click();
    await expect(page).toHaveURL(/[?&]ws=analytics/);
    await expect.poll(() => rowNames(page)).toEqual([ALPHA]);
  });

  await test.step('status filter, and one empty state when nothing matches', async () => {
    await choose(page, 'Status', 'Hibernating');
    await expect(
      page.getByText('No Deployments match these filters'),
    ).toBeVisible();
    await expect(page.getByText(/No Deployments/)).toHaveCount(1);
    await expect(page.getByRole('table')).toHaveCount(0);
    await screenshot(page, 'home-no-match');

    await choose(page, 'Organization', 'Any organization');
    await expect(
      page.getByRole('heading', { name: 'Deployments (1)' }),
    ).toBeVisible();
    await expect.poll(() => rowNames(page)).toEqual([BETA]);
    await expect(page).toHaveURL(/[?&]status=HIBERNATING/);

    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(page).toHaveURL(/\/astro$/);
    await expect(page.getByLabel('Search by name or title')).toHaveValue('');
    await expect(page.getByRole('table')).toBeVisible();
    await expect
      .poll(() => rowNames(page))
      .toEqual(expect.arrayContaining([ALPHA, BETA]));
  });

  await test.step('the address keeps the filters; a row opens its Deployment', async () => {
    await page.goto(`/astro?org=${ORG_B.name}&q=${RUN}`);
    await expect(
      page.getByRole('heading', { name: 'Deployments (1)' }),
    ).toBeVisible();
    await expect.poll(() => rowNames(page)).toEqual([BETA]);
    await expect(page.getByLabel('Search by name or title')).toHaveValue(RUN);
    await page.getByRole('table').getByRole('link', { name: BETA }).click();
    await expect(page).toHaveURL(
      new RegExp(`/astro/organizations/${ORG_B.name}/deployments/${BETA}$`),
    );
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`org=${ORG_B.name}`));
    await expect.poll(() => rowNames(page)).toEqual([BETA]);
  });

  await test.step('Create Deployment offers every workspace by organization', async () => {
    await page.getByRole('button', { name: 'Create Deployment' }).click();
    const menu = page.getByRole('menu');
    await expect(
      menu.getByRole('menuitem', { name: `in ${ORG_A.title} / Analytics` }),
    ).toBeVisible();
    await expect(
      menu.getByRole('menuitem', { name: `in ${ORG_B.title} / Analytics` }),
    ).toHaveAttribute(
      'href',
      `/astro/organizations/${ORG_B.name}/deployments/new?workspace=analytics`,
    );
    await page.keyboard.press('Escape');
  });

  await test.step('the Workspaces and Clusters tabs', async () => {
    await page.getByRole('tab', { name: 'Workspaces' }).click();
    await expect(page).toHaveURL(/[?&]tab=workspaces/);
    await expect(page.getByText(ORG_A.title, { exact: true })).toBeVisible();
    await expect(page.getByText(/^Open incidents: \d+/).first()).toBeVisible();
    await expect(page.getByText(ORG_B.title, { exact: true })).toBeVisible();
    await screenshot(page, 'home-workspaces');

    await page.getByRole('tab', { name: 'Clusters' }).click();
    await expect(page).toHaveURL(/[?&]tab=clusters/);
    await expect(
      page.getByRole('heading', { name: 'Registered clusters' }),
    ).toBeVisible();
    await expect(
      page.getByText('Simulator (not a real cluster)'),
    ).toBeVisible();
    await screenshot(page, 'home-clusters');

    await page.getByRole('tab', { name: 'Deployments' }).click();
    await expect(page).toHaveURL(/\/astro(\?[^#]*)?$/);
    await expect(page.getByRole('table')).toBeVisible();
  });
  // The console guard (fixtures.ts) fails the test on any warning or error
  // of ours on these pages.
});
