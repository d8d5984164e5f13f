import { expect, Page } from '@playwright/test';
import path from 'node:path';

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
