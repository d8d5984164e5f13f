import { Page } from '@playwright/test';
import { BACKEND_URL } from './helpers';

/** How many catalog entities of kind AstroDeployment match a filter. */
export async function catalogCount(filter: string): Promise<number> {
  const refresh = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`);
  const token = (await refresh.json()).backstageIdentity.token;
  const response = await fetch(
    `${BACKEND_URL}/api/catalog/entities/by-query?limit=1&filter=${encodeURIComponent(
      `kind=astrodeployment,${filter}`,
    )}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  return (await response.json()).totalItems;
}

/**
 * Milliseconds from an action to the first animation frame in which `done`
 * (a JavaScript expression evaluated in the page) holds. Both tables are
 * timed the same way, so their ratio is fair even where the polling adds
 * a few milliseconds.
 */
async function timeUntil(
  page: Page,
  action: () => Promise<unknown>,
  done: string,
): Promise<number> {
  const start = Date.now();
  await action();
  await page.waitForFunction(done, undefined, {
    polling: 'raf',
    timeout: 60_000,
  });
  return Date.now() - start;
}

/** A client-side navigation, as a click on a link makes it. */
function navigate(page: Page, path: string) {
  return page.evaluate(to => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** The names in the first column of the visible table rows, joined. */
const ROWS = `Array.from(document.querySelectorAll('tbody tr')).map(r => r.querySelector('td')?.textContent ?? '').filter(Boolean)`;

/**
 * Times the home's Deployments table (filtered and paged by the backend):
 * open it, narrow to the benchmark workspace, go to the next page, narrow
 * to a status, and search for one Deployment.
 */
export async function measureHomeTable(page: Page, ws: string) {
  const results: Record<string, number> = {};
  const idle = `!document.querySelector('[aria-label="Loading Deployments"]')`;
  const title = `(document.getElementById('astro-home-table-title')?.textContent ?? '')`;

  await navigate(page, '/catalog');
  await page.waitForURL(/\/catalog/);
  results['home: open (ms)'] = await timeUntil(
    page,
    () => navigate(page, '/astro'),
    `${idle} && /Deployments \\(\\d+\\)/.test(${title}) && ${ROWS}.length === 20`,
  );

  await page.locator('#astro-home-workspace').click();
  const option = page
    .getByRole('option')
    .filter({ hasText: `Benchmark ${ws}` });
  results['home: filter by workspace (ms)'] = await timeUntil(
    page,
    () => option.click(),
    `${idle} && ${title} === 'Deployments (1000)' && ${ROWS}.length === 20 && ${ROWS}.every(n => n.startsWith('${ws}-'))`,
  );

  const firstRow = await page.evaluate(`${ROWS}[0]`);
  results['home: next page (ms)'] = await timeUntil(
    page,
    () => page.getByRole('button', { name: 'Next page' }).click(),
    `${idle} && ${ROWS}.length > 0 && ${ROWS}[0] !== ${JSON.stringify(
      firstRow,
    )}`,
  );

  const before = await page.evaluate(title);
  await page.locator('#astro-home-status').click();
  results['home: filter by status (ms)'] = await timeUntil(
    page,
    () => page.getByRole('option', { name: 'Healthy', exact: true }).click(),
    `${idle} && (${title}) !== ${JSON.stringify(
      before,
    )} && /\\(\\d+\\)/.test(${title})`,
  );

  // Search among all statuses again: clear the status first.
  await page.locator('#astro-home-status').click();
  await page.getByRole('option', { name: 'Any status' }).click();
  await page.waitForFunction(`${idle} && ${title} === 'Deployments (1000)'`);
  results['home: search to one row (ms)'] = await timeUntil(
    page,
    () => page.locator('#astro-home-search').fill(`${ws}-0999`),
    `${idle} && ${ROWS}.length === 1 && ${ROWS}[0].startsWith('${ws}-0999')`,
  );
  return results;
}

/**
 * Times Backstage's own catalog table listing the AstroDeployment
 * entities: open it, go to the next page, and search for one entity.
 */
export async function measureCatalogTable(page: Page, ws: string) {
  const results: Record<string, number> = {};
  const links = `document.querySelectorAll('tbody tr a[href*="/astrodeployment/"]').length`;

  await navigate(page, '/astro');
  await page.waitForURL(/\/astro/);
  results['catalog: open (ms)'] = await timeUntil(
    page,
    () => navigate(page, '/catalog?filters%5Bkind%5D=astrodeployment'),
    `${links} >= 20`,
  );

  const firstRow = await page.evaluate(`${ROWS}[0]`);
  results['catalog: next page (ms)'] = await timeUntil(
    page,
    () =>
      page
        .getByRole('button', { name: /next page/i })
        .first()
        .click(),
    `${links} > 0 && ${ROWS}[0] !== ${JSON.stringify(firstRow)}`,
  );

  results['catalog: search to one row (ms)'] = await timeUntil(
    page,
    () => page.getByPlaceholder('Search').first().fill(`${ws}-0999`),
    `${links} === 1`,
  );
  return results;
}
