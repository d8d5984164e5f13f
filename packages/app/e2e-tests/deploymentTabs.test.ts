import { test, expect, Page } from './fixtures';
import {
  astroApi,
  openDeploymentTab,
  reloadAsGuest,
  screenshot,
  signInAsGuest,
  deploymentGone,
} from './helpers';

/*
 * The Deployment page in tabs: each tab shows its own cards (and no other
 * tab's), the tab is kept in the address across a reload, and the Edit
 * page keeps the organization and workspace in its breadcrumbs. One
 * screenshot per tab at the size people use the portal on a laptop.
 */

test.use({ actionTimeout: 30_000, viewport: { width: 1440, height: 900 } });

const ORG = 'demo';
const WORKSPACE = 'data-engineering';

/** The cards each tab shows, by their titles, in order. */
const TABS: { label: string; param: string; cards: string[] }[] = [
  { label: 'Overview', param: '', cards: ['Status', 'History'] },
  {
    label: 'Workers & queues',
    param: 'workers',
    cards: ['Components and workers'],
  },
  { label: 'DAGs', param: 'dags', cards: ['DAGs'] },
  { label: 'Deploys', param: 'deploys', cards: ['Code', 'Deploy history'] },
  {
    label: 'Incidents',
    param: 'incidents',
    cards: ['Incidents', 'Alert rules'],
  },
  {
    label: 'Environment',
    param: 'environment',
    cards: ['Environment variables'],
  },
  {
    label: 'Access',
    param: 'access',
    cards: ['Access', 'Your access', 'API tokens'],
  },
  {
    label: 'Settings',
    param: 'settings',
    cards: ['Settings', 'Hibernation', 'Deployment file'],
  },
  { label: 'Events', param: 'events', cards: ['Events'] },
];

/** The titles of the cards on the page, top to bottom. */
async function cardTitles(page: Page): Promise<string[]> {
  return page
    .locator('[role="tabpanel"] [class*="MuiCardHeader-title"]')
    .allTextContents();
}

/** The breadcrumb trail as its labels, and the links among them. */
async function breadcrumbs(page: Page) {
  const trail = page.getByRole('navigation', {
    name: 'breadcrumbs',
    exact: true,
  });
  await expect(trail).toBeVisible();
  const items = await trail.locator('li:not([aria-hidden="true"])').all();
  const labels = [];
  for (const item of items) {
    const text = (await item.textContent()) ?? '';
    if (text.trim() && text.trim() !== '/') {
      labels.push(text.trim());
    }
  }
  const links = await trail.getByRole('link').allTextContents();
  return { labels, links };
}

test('the Deployment page in tabs, breadcrumbs on every sub-page', async ({
  page,
  consoleGuard,
}) => {
  test.setTimeout(5 * 60_000);
  const name = `tabs-${Date.now().toString(36)}`;
  const created = await astroApi('POST', `/organizations/${ORG}/deployments`, {
    name,
    workspace: WORKSPACE,
  });
  expect(created.status).toBe(201);

  try {
    await signInAsGuest(page);
    await page.goto(`/astro/organizations/${ORG}/deployments/${name}`);
    await expect(page.getByRole('heading', { name })).toBeVisible();

    await test.step('breadcrumbs on the Deployment page', async () => {
      // The workspace joins the trail once the Deployment is read.
      await expect
        .poll(async () => (await breadcrumbs(page)).labels)
        .toEqual(['Airflow', ORG, WORKSPACE, name]);
      expect((await breadcrumbs(page)).links).toEqual([
        'Airflow',
        ORG,
        WORKSPACE,
      ]);
    });

    await test.step('each tab shows its own cards', async () => {
      const tabs = page
        .getByRole('tablist', { name: 'Deployment' })
        .getByRole('tab');
      await expect(tabs).toHaveText(TABS.map(t => t.label));
      for (const tab of TABS) {
        await openDeploymentTab(page, tab.label);
        await expect(page).toHaveURL(
          tab.param ? new RegExp(`[?&]tab=${tab.param}(&|$)`) : /^[^?]*$/,
        );
        await expect
          .poll(() => cardTitles(page), { message: tab.label })
          .toEqual(tab.cards);
        // Settled for the picture: cards loaded, the tab's ripple and
        // the sliding indicator done.
        await expect(
          page.locator('[role="tabpanel"] [role="progressbar"]'),
        ).toHaveCount(0);
        await page.mouse.move(0, 0);
        await page.waitForTimeout(600);
        await screenshot(page, `deployment-tab-${tab.param || 'overview'}`);
      }
    });

    await test.step('the arrow keys move between tabs', async () => {
      const selected = page.getByRole('tab', { selected: true });
      await selected.focus();
      await expect(selected).toHaveText('Events');
      await page.keyboard.press('Home');
      await expect(page.getByRole('tab', { name: 'Overview' })).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect(
        page.getByRole('tab', { name: 'Workers & queues' }),
      ).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/[?&]tab=workers(&|$)/);
    });

    await test.step('a reload keeps the tab', async () => {
      await openDeploymentTab(page, 'Environment');
      await reloadAsGuest(page);
      await expect(page).toHaveURL(/[?&]tab=environment(&|$)/);
      await expect(
        page.getByRole('tab', { name: 'Environment', selected: true }),
      ).toBeVisible();
      await expect
        .poll(() => cardTitles(page))
        .toEqual(['Environment variables']);
    });

    await test.step('an unknown tab shows Overview', async () => {
      await page.goto(
        `/astro/organizations/${ORG}/deployments/${name}?tab=nonsense`,
      );
      await expect(
        page.getByRole('tab', { name: 'Overview', selected: true }),
      ).toBeVisible();
      await expect.poll(() => cardTitles(page)).toEqual(['Status', 'History']);
    });

    await test.step('the Edit page keeps organization and workspace', async () => {
      await page.getByRole('button', { name: 'Edit settings' }).click();
      await expect(
        page.getByRole('form', { name: 'Edit Deployment' }),
      ).toBeVisible();
      await expect
        .poll(async () => (await breadcrumbs(page)).labels)
        .toEqual(['Airflow', ORG, WORKSPACE, name, 'Edit settings']);
      expect((await breadcrumbs(page)).links).toEqual([
        'Airflow',
        ORG,
        WORKSPACE,
        name,
      ]);
      await screenshot(page, 'deployment-edit-breadcrumbs');
      // The workspace crumb leads to the workspace.
      await expect(
        page
          .getByRole('navigation', { name: 'breadcrumbs', exact: true })
          .getByRole('link', { name: WORKSPACE }),
      ).toHaveAttribute(
        'href',
        `/astro/organizations/${ORG}/workspaces/${WORKSPACE}`,
      );
    });

    await test.step('the Create page: organization / workspace / New Deployment', async () => {
      await page.goto(
        `/astro/organizations/${ORG}/deployments/new?workspace=${WORKSPACE}`,
      );
      await expect(
        page.getByRole('form', { name: 'Create Deployment' }),
      ).toBeVisible();
      const { labels, links } = await breadcrumbs(page);
      expect(labels).toEqual(['Airflow', ORG, WORKSPACE, 'New Deployment']);
      expect(links).toEqual(['Airflow', ORG, WORKSPACE]);
    });
  } finally {
    consoleGuard.expectFailedRequests(deploymentGone(name, ORG));
    await astroApi('DELETE', `/organizations/${ORG}/deployments/${name}`);
  }
});
