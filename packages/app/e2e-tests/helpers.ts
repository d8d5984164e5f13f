import { expect, Page } from '@playwright/test';
import path from 'node:path';
import { ExpectedFailure } from './console';

/** Where screenshots of the main pages go; git-ignored. */
export const SCREENSHOT_DIR = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'e2e-screenshots',
);

/**
 * Opens the portal as the guest user. The guest provider signs in without a
 * prompt when the backend accepts it; the "Enter" button is clicked if the
 * sign-in page asks for it.
 */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const sidebarLink = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Airflow', exact: true });
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(sidebarLink.or(enter)).toBeVisible();
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(sidebarLink).toBeVisible();
}

/** Saves a full-page screenshot named after the page it shows. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: path.join(SCREENSHOT_DIR, `${name}.png`),
    fullPage: true,
  });
}

/** The backend's base URL as the browser tests reach it. */
export const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';

/**
 * Reloads the page and signs in again as the guest if the sign-in page
 * comes back (the guest session is not kept across reloads).
 */
export async function reloadAsGuest(page: Page) {
  await expect
    .poll(
      async () =>
        (
          await fetch(`${BACKEND_URL}/api/astro/health`).catch(() => undefined)
        )?.status,
      { timeout: 60_000 },
    )
    .toBe(200);
  await page.reload();
  const enter = page.getByRole('button', { name: 'Enter' });
  const main = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Airflow', exact: true });
  await expect(main.or(enter)).toBeVisible();
  if (await enter.isVisible()) {
    await enter.click();
  }
  await expect(main).toBeVisible();
}

/**
 * Calls the Astro REST API as the guest user, for seeding and for checks
 * the UI cannot make (such as waiting for a rollout to converge).
 */
export async function astroApi(
  method: string,
  resourcePath: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const refresh = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`);
  const token = (await refresh.json()).backstageIdentity.token;
  const response = await fetch(`${BACKEND_URL}/api/astro${resourcePath}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/**
 * Opens a tab of the Deployment page ("Workers & queues", "Environment", …)
 * by clicking it, and waits until it is the selected one.
 */
export async function openDeploymentTab(page: Page, label: string) {
  const tab = page
    .getByRole('tablist', { name: 'Deployment' })
    .getByRole('tab', { name: label, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** The simulator's API as app-config.yaml fixes it (another port slot: SIMULATOR_URL). */
export const SIMULATOR_URL =
  process.env.SIMULATOR_URL ?? 'http://127.0.0.1:7100';
/** The simulator's token as app-config.yaml fixes it. */
export const SIMULATOR_TOKEN = 'local-simulator-token';

/** Makes the simulator crash-loop a Deployment's scheduler, or stop doing so. */
export async function setSchedulerCrashLoop(
  namespace: string,
  crashLoop: boolean,
) {
  const response = await fetch(
    `${SIMULATOR_URL}/simulator/v1/namespaces/${namespace}/components/scheduler`,
    {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${SIMULATOR_TOKEN}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ crashLoop }),
    },
  );
  expect(response.status).toBe(200);
}

/**
 * The snackbar showing a message the app posted (the app's alert display:
 * a toast, an `alertdialog` named by its message, in the Notifications
 * region). A transient one goes away by itself after 5 s; its Close button
 * dismisses it sooner.
 */
export function snackbar(page: Page, message: string) {
  return page.getByRole('alertdialog', { name: message });
}

/**
 * The 404 of a Deployment that a test's cleanup deletes while a page still
 * shows it: the page reads it (or a part of it) again and finds it gone.
 * Declare it (`consoleGuard.expectFailedRequests`) just before the delete.
 */
export function deploymentGone(
  name: string,
  organization = 'demo',
): ExpectedFailure {
  return {
    method: 'GET',
    path: new RegExp(
      `^/organizations/${organization}/deployments/${name}(/|$)`,
    ),
    status: 404,
  };
}
