import { test, expect } from './fixtures';
import { astroApi, screenshot, signInAsGuest } from './helpers';

/*
 * Roles through the UI on the default config: the guest (a platform
 * administrator) sees the demo teams' seeded roles on the Analytics
 * workspace, grants a catalog group a role with the Members card's picker,
 * sees the backend hold it, and removes it again.
 */

test.use({ actionTimeout: 30_000 });

test('grants and removes a workspace role from the Members card', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/astro/organizations/demo/workspaces/analytics');

  const members = page.getByRole('table', {
    name: 'Role bindings of workspace demo/analytics',
  });
  await expect(members).toBeVisible();
  // The demo's two teams, with different roles here.
  await expect(
    members.getByRole('row', { name: /analytics.*Author/i }),
  ).toBeVisible();
  await expect(
    members.getByRole('row', { name: /data-engineering.*Member/i }),
  ).toBeVisible();
  await expect(page.getByText(/platform administrator/i)).toBeVisible();

  await page.getByRole('button', { name: 'Add member' }).click();
  const dialog = page.getByRole('dialog');
  const picker = dialog.getByLabel('User or group');
  await picker.fill('guests');
  await page
    .getByRole('option', { name: /guests/ })
    .first()
    .click();
  await dialog.getByRole('button', { name: /^Role / }).click();
  await page.getByRole('option', { name: /^Operator/ }).click();
  await dialog.getByRole('button', { name: 'Grant role' }).click();
  await expect(dialog).toBeHidden();

  const row = members.getByRole('row', { name: /guests.*Operator/i });
  await expect(row).toBeVisible();
  await screenshot(page, 'workspace-members');

  // The backend holds the binding the UI showed.
  const roles = await astroApi(
    'GET',
    '/organizations/demo/workspaces/analytics/roles',
  );
  expect(roles.json.items).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        principal: 'group:default/guests',
        role: 'WORKSPACE_OPERATOR',
      }),
    ]),
  );

  await page
    .getByRole('button', { name: 'Remove group:default/guests' })
    .click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Remove' })
    .click();
  await expect(row).toBeHidden();
  const after = await astroApi(
    'GET',
    '/organizations/demo/workspaces/analytics/roles',
  );
  expect(
    after.json.items.map((b: { principal: string }) => b.principal),
  ).not.toContain('group:default/guests');
});
