import { screen, within } from '@testing-library/react';
import {
  astroHttp,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import { organization } from '../../__testUtils__/fixtures';

// In a file of its own: permission answers are cached per test file.

const server = setupAstroServer();

describe('Members of an organization for a user who may not manage its roles', () => {
  it('lists the bindings without add or remove controls, and hides the organization actions', async () => {
    const asked: string[] = [];
    server.use(
      astroHttp.get('/organizations/{org}', () =>
        HttpResponse.json(organization),
      ),
      astroHttp.get('/organizations/{org}/workspaces', () =>
        HttpResponse.json({ items: [] }),
      ),
      astroHttp.get('/organizations/{org}/deployments', () =>
        HttpResponse.json({ items: [] }),
      ),
      astroHttp.get('/organizations/{org}/incidents', () =>
        HttpResponse.json({ items: [] }),
      ),
      astroHttp.get('/organizations/{org}/roles', () =>
        HttpResponse.json({
          items: [
            {
              principal: 'group:default/platform',
              role: 'ORGANIZATION_OWNER',
              scope: { kind: 'organization', organization: 'acme' },
              createdBy: 'system:astro',
              createdAt: '2026-12-02T10:00:00.000Z',
            },
          ],
        }),
      ),
    );
    renderAstroPage('/astro/organizations/acme', {
      allow: permission => {
        asked.push(permission);
        return permission === 'astro.organization.read';
      },
    });
    const table = await screen.findByRole('table', {
      name: 'Role bindings of organization acme',
    });
    const row = within(table)
      .getByText('group:default/platform')
      .closest('tr')!;
    expect(row).toHaveTextContent('Organization owner');
    expect(row).toHaveTextContent('by the platform (astro)');
    expect(within(table).queryByRole('button')).not.toBeInTheDocument();
    expect(
      within(table).queryByRole('columnheader', { name: 'Actions' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Add member' }),
    ).not.toBeInTheDocument();
    for (const name of [
      /Create workspace/,
      /Edit organization/,
      /Delete organization/,
    ]) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(asked).toEqual(
      expect.arrayContaining([
        'astro.organization.roles.manage',
        'astro.workspace.create',
        'astro.organization.update',
        'astro.organization.delete',
      ]),
    );
  });
});
