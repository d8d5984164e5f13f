import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  astroHttp,
  errorResponse,
  HttpResponse,
  noRolesAnswer,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import { organization, workspace } from '../../__testUtils__/fixtures';

const server = setupAstroServer();
const PAGE = '/astro/organizations/acme';

function serveOrganization() {
  const state = {
    created: [] as unknown[],
    updated: [] as unknown[],
    deleted: 0,
  };
  server.use(
    astroHttp.get('/organizations/{org}', () =>
      HttpResponse.json(organization),
    ),
    astroHttp.get('/organizations/{org}/workspaces', () =>
      HttpResponse.json({ items: [workspace] }),
    ),
    astroHttp.get('/organizations/{org}/deployments', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/incidents', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.post('/organizations/{org}/workspaces', async ({ request }) => {
      const body = await request.json();
      state.created.push(body);
      return HttpResponse.json(
        { ...workspace, name: body.name, title: body.title ?? '' },
        { status: 201 },
      );
    }),
    astroHttp.patch('/organizations/{org}', async ({ request }) => {
      const body = await request.json();
      state.updated.push(body);
      return HttpResponse.json({ ...organization, ...body, version: 2 });
    }),
    astroHttp.delete('/organizations/{org}', () => {
      state.deleted += 1;
      return errorResponse(
        409,
        'ConflictError',
        'Organization acme still has workspaces: data-eng',
      );
    }),
  );
  return state;
}

describe('OrganizationPage', () => {
  it('shows the workspaces, the members and that a platform admin may do everything', async () => {
    serveOrganization();
    server.use(
      astroHttp.get('/me/permissions', ({ request }) => {
        expect(new URL(request.url).searchParams.get('resource')).toBe(
          'organization:acme',
        );
        return HttpResponse.json({ ...noRolesAnswer, platformAdmin: true });
      }),
    );
    renderAstroPage(PAGE);
    expect(
      await screen.findByRole('heading', { name: 'Acme Corp' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Data Engineering' }),
    ).toHaveAttribute('href', '/astro/organizations/acme/workspaces/data-eng');
    expect(
      await screen.findByText(/You are a platform administrator/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Nobody holds a role on this organization/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Add member' }),
    ).toBeInTheDocument();
  });

  it('creates a workspace and opens it', async () => {
    const state = serveOrganization();
    server.use(
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        HttpResponse.json({ ...workspace, name: 'ml', title: 'ML' }),
      ),
      astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    renderAstroPage(PAGE);
    await userEvent.click(
      await screen.findByRole('button', { name: /Create workspace/ }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'ml',
    );
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Title' }),
      'ML',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create workspace' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'ML' }),
    ).toBeInTheDocument();
    expect(state.created).toEqual([{ name: 'ml', title: 'ML' }]);
  });

  it('edits the organization with the version it read', async () => {
    const state = serveOrganization();
    renderAstroPage(PAGE);
    await userEvent.click(
      await screen.findByRole('button', { name: /Edit organization/ }),
    );
    const dialog = await screen.findByRole('dialog');
    const title = within(dialog).getByRole('textbox', { name: 'Title' });
    expect(title).toHaveValue('Acme Corp');
    await userEvent.clear(title);
    await userEvent.type(title, 'Acme Inc');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(state.updated).toEqual([
        { title: 'Acme Inc', description: '', version: 1 },
      ]),
    );
  });

  it('asks before deleting, and keeps the dialog open with the refusal', async () => {
    const state = serveOrganization();
    renderAstroPage(PAGE);
    await userEvent.click(
      await screen.findByRole('button', { name: /Delete organization/ }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(state.deleted).toBe(0);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete organization' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The organization was not deleted: Organization acme still has workspaces: data-eng',
    );
    expect(state.deleted).toBe(1);
  });

  it('names the missing permission when the backend refuses with 403', async () => {
    serveOrganization();
    server.use(
      astroHttp.patch('/organizations/{org}', () =>
        errorResponse(
          403,
          'NotAllowedError',
          'The permission policy denies astro.organization.update on acme',
        ),
      ),
    );
    renderAstroPage(PAGE);
    await userEvent.click(
      await screen.findByRole('button', { name: /Edit organization/ }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The organization was not changed: You need astro.organization.update on acme',
    );
  });
});
