import { test, expect, Page } from './fixtures';
import { astroApi, BACKEND_URL, screenshot, signInAsGuest } from './helpers';

/*
 * Names that repeat across organizations, and the AstroDeployment entity
 * page: two organizations each have a workspace titled "Analytics"; the
 * template's workspace picker and the catalog tell them apart by their
 * organization, and a Deployment's entity page shows its Airflow and
 * Kubernetes views as tabs of their own.
 */

test.use({ actionTimeout: 30_000, viewport: { width: 1440, height: 900 } });

const RUN = Date.now().toString(36);
const ORG_A = { name: `names-a-${RUN}`, title: `Names A ${RUN}` };
const ORG_B = { name: `names-b-${RUN}`, title: `Names B ${RUN}` };
const DEPLOYMENT = `tabs-${RUN}`;

async function ok(method: string, path: string, body?: unknown) {
  const response = await astroApi(method, path, body);
  expect(response.status, JSON.stringify(response.json)).toBeLessThan(300);
  return response.json;
}

/** The title the catalog gives an entity, read from the catalog's API. */
async function catalogTitle(kind: string, namespace: string, name: string) {
  const refresh = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`);
  const token = (await refresh.json()).backstageIdentity.token;
  const response = await fetch(
    `${BACKEND_URL}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  return response.ok ? (await response.json()).metadata.title : undefined;
}

async function openTemplate(page: Page) {
  await signInAsGuest(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create' })
    .click();
  await page
    .locator('.MuiCard-root')
    .filter({ hasText: 'New Airflow Deployment' })
    .getByRole('button', { name: /choose/i })
    .click();
  await expect(
    page.getByRole('heading', { name: 'New Airflow Deployment' }),
  ).toBeVisible();
}

test.beforeAll(async () => {
  for (const org of [ORG_A, ORG_B]) {
    await ok('POST', '/organizations', org);
    await ok('POST', `/organizations/${org.name}/workspaces`, {
      name: 'analytics',
      title: 'Analytics',
    });
  }
  await ok('POST', `/organizations/${ORG_A.name}/deployments`, {
    name: DEPLOYMENT,
    workspace: 'analytics',
  });
});

test.afterAll(async () => {
  await astroApi(
    'DELETE',
    `/organizations/${ORG_A.name}/deployments/${DEPLOYMENT}`,
  );
});

test('the workspace picker names the organization of each workspace', async ({
  page,
}) => {
  await openTemplate(page);

  const workspace = page.getByRole('textbox', { name: /Workspace/ });
  await expect(workspace).toBeEnabled();
  await workspace.click();
  await workspace.fill('analytics');
  const listbox = page.getByRole('listbox');
  const labelA = `${ORG_A.title} / Analytics`;
  const labelB = `${ORG_B.title} / Analytics`;
  await expect(listbox.getByRole('option', { name: labelA })).toBeVisible();
  await expect(listbox.getByRole('option', { name: labelB })).toBeVisible();
  // Grouped under their organizations' titles.
  await expect(listbox.getByText(ORG_A.title, { exact: true })).toBeVisible();
  await expect(listbox.getByText(ORG_B.title, { exact: true })).toBeVisible();
  await screenshot(page, 'template-workspace-picker');

  await listbox.getByRole('option', { name: labelB }).click();
  await expect(workspace).toHaveValue(labelB);
  // The name check runs in the chosen organization: the Deployment of the
  // same name lives in the other one.
  await page.getByRole('textbox', { name: /^Name/ }).fill(DEPLOYMENT);
  await expect(page.getByText(`${DEPLOYMENT} is available`)).toBeVisible();

  // The review step shows the organization and workspace chosen.
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByRole('combobox', { name: 'Airflow version' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  const review = page.getByRole('table');
  await expect(review.getByRole('row', { name: /Workspace/ })).toHaveText(
    new RegExp(`Workspace\\s*${labelB}`),
  );
  await expect(review.getByText(ORG_B.name, { exact: true })).toHaveCount(0);
  await screenshot(page, 'template-review-workspace');
});

test('an AstroDeployment entity shows Airflow and Kubernetes as tabs, titled with its organization', async ({
  page,
}) => {
  await signInAsGuest(page);
  // The catalog has the entity within seconds of its creation.
  await expect
    .poll(() => catalogTitle('astrodeployment', ORG_A.name, DEPLOYMENT), {
      timeout: 60_000,
    })
    .toBe(`${ORG_A.title} / ${DEPLOYMENT}`);
  await page.goto(`/catalog/${ORG_A.name}/astrodeployment/${DEPLOYMENT}`);
  await expect(
    page
      .getByRole('heading', { name: `${ORG_A.title} / ${DEPLOYMENT}` })
      .first(),
  ).toBeVisible();

  const tabs = page.getByRole('navigation', { name: 'Content navigation' });
  await expect(tabs.getByRole('link')).toHaveText([
    'Overview',
    'Kubernetes',
    'Airflow',
  ]);
  // No "Deployment" menu folding them away.
  await expect(tabs.getByRole('button')).toHaveCount(0);
  await screenshot(page, 'entity-deployment-overview');

  await tabs.getByRole('link', { name: 'Airflow' }).click();
  await expect(page).toHaveURL(/\/airflow$/);
  await expect(
    page.getByRole('button', { name: 'Open Airflow' }),
  ).toBeVisible();
  await screenshot(page, 'entity-deployment-airflow');

  await tabs.getByRole('link', { name: 'Kubernetes' }).click();
  await expect(page).toHaveURL(/\/kubernetes$/);
  // The Kubernetes plugin lists the Deployment's objects on its cluster.
  await expect(page.getByText('simulator').first()).toBeVisible({
    timeout: 30_000,
  });
  await screenshot(page, 'entity-deployment-kubernetes');

  // Each "Analytics" workspace is titled with its organization.
  expect(await catalogTitle('astroworkspace', ORG_A.name, 'analytics')).toBe(
    `${ORG_A.title} / Analytics`,
  );
  await page.goto(`/catalog/${ORG_B.name}/astroworkspace/analytics`);
  await expect(
    page.getByRole('heading', { name: `${ORG_B.title} / Analytics` }).first(),
  ).toBeVisible({ timeout: 30_000 });
  // The console guard (fixtures.ts) fails the test on a warning of ours,
  // among them the app's implicit-routing warning for our entity tabs and
  // cards (see console.ts).
});
