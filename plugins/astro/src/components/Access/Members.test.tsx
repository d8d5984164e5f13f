import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { RoleBinding } from '@airflow-portal/plugin-astro-common';
import {
  astroHttp,
  errorResponse,
  HttpResponse,
  noRolesAnswer,
  renderAstroPage,
  setupAstroServer,
} from '../../__testUtils__/testApp';
import { workspace } from '../../__testUtils__/fixtures';

const server = setupAstroServer();
const PAGE = '/astro/organizations/acme/workspaces/data-eng';

const AT = '2026-12-02T10:00:00.000Z';

function binding(principal: string, role: RoleBinding['role']): RoleBinding {
  return {
    principal,
    role,
    scope: { kind: 'workspace', organization: 'acme', workspace: 'data-eng' },
    createdBy: 'user:default/jane',
    createdAt: AT,
  };
}

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: { profile: { displayName: 'Bob Builder' }, memberOf: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'data-eng', namespace: 'default' },
    spec: {
      type: 'team',
      profile: { displayName: 'Data Engineering' },
      children: [],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'bob-service', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'data-eng' },
  },
];

/** The workspace page with role bindings the test changes; records the writes. */
function serveMembers(initial: RoleBinding[]) {
  const state = {
    bindings: initial,
    puts: [] as unknown[],
    deletes: [] as (string | null)[],
  };
  server.use(
    astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
      HttpResponse.json(workspace),
    ),
    astroHttp.get('/organizations/{org}/deployments', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get(
      '/organizations/{org}/workspaces/{ws}/roles',
      ({ params }) => {
        expect(params).toEqual({ org: 'acme', ws: 'data-eng' });
        return HttpResponse.json({ items: state.bindings });
      },
    ),
    astroHttp.put(
      '/organizations/{org}/workspaces/{ws}/roles',
      async ({ request }) => {
        const body = await request.json();
        state.puts.push(body);
        const stored = binding(body.principal, body.role);
        state.bindings = [
          ...state.bindings.filter(b => b.principal !== body.principal),
          stored,
        ];
        return HttpResponse.json(stored);
      },
    ),
    astroHttp.delete(
      '/organizations/{org}/workspaces/{ws}/roles',
      ({ request, response }) => {
        const principal = new URL(request.url).searchParams.get('principal');
        state.deletes.push(principal);
        state.bindings = state.bindings.filter(b => b.principal !== principal);
        return response(204).empty();
      },
    ),
  );
  return state;
}

async function membersTable() {
  return screen.findByRole('table', {
    name: 'Role bindings of workspace acme/data-eng',
  });
}

describe('Members of a workspace', () => {
  it('lists who holds which role, granted by whom', async () => {
    serveMembers([
      binding('group:default/data-eng', 'WORKSPACE_OPERATOR'),
      binding('user:default/bob', 'WORKSPACE_MEMBER'),
    ]);
    renderAstroPage(PAGE);
    const table = await membersTable();
    const group = within(table)
      .getByText('group:default/data-eng')
      .closest('tr')!;
    expect(group).toHaveTextContent('Group data-eng');
    expect(group).toHaveTextContent('Operator');
    expect(group).toHaveTextContent('by jane');
    const bob = within(table).getByText('user:default/bob').closest('tr')!;
    expect(bob).toHaveTextContent('Member');
    expect(
      within(bob).getByRole('button', { name: 'Remove user:default/bob' }),
    ).toBeInTheDocument();
  });

  it('grants a role to a user picked from the catalog, offering the workspace roles only', async () => {
    const state = serveMembers([]);
    renderAstroPage(PAGE, { entities });
    expect(
      await screen.findByText(/Nobody holds a role on this workspace itself/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog');

    await userEvent.click(
      within(dialog).getByRole('button', { name: /^Role/ }),
    );
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.querySelector('span')?.textContent)).toEqual([
      'Workspace owner',
      'Operator',
      'Author',
      'Member',
    ]);
    expect(options[2]).toHaveTextContent(
      'Deploys code and edits variables; cannot create or delete Deployments.',
    );
    await userEvent.click(options[2]);

    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /User or group/ }),
      'Bob',
    );
    const choices = await screen.findAllByRole('option');
    // Users and groups of the catalog (not bob-service, a Component), by
    // display name with the ref.
    expect(choices.map(o => o.textContent)).toEqual([
      'Bob Builder (user:default/bob)',
    ]);
    await userEvent.click(choices[0]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Grant role' }),
    );

    await waitFor(() =>
      expect(state.puts).toEqual([
        { principal: 'user:default/bob', role: 'WORKSPACE_AUTHOR' },
      ]),
    );
    const table = await membersTable();
    expect(
      (await within(table).findByText('user:default/bob')).closest('tr'),
    ).toHaveTextContent('Author');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('accepts a typed group ref the catalog does not list, and shows the backend refusal', async () => {
    const state = serveMembers([]);
    renderAstroPage(PAGE);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add member' }),
    );
    const dialog = await screen.findByRole('dialog');
    const picker = within(dialog).getByRole('textbox', {
      name: /User or group/,
    });
    await userEvent.type(picker, 'component:default/x');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Grant role' }),
    );
    // Not a user or group: nothing is sent.
    expect(
      within(dialog).getByText(/Pick a user or group, or type a ref/),
    ).toBeInTheDocument();
    expect(state.puts).toEqual([]);

    await userEvent.clear(picker);
    await userEvent.type(picker, 'group:platform');
    server.use(
      astroHttp.put(
        '/organizations/{org}/workspaces/{ws}/roles',
        async ({ request }) => {
          state.puts.push(await request.json());
          return errorResponse(
            403,
            'NotAllowedError',
            'The permission policy denies astro.workspace.roles.manage on acme/data-eng',
          );
        },
      ),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Grant role' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The role was not granted: You need astro.workspace.roles.manage on acme/data-eng',
    );
    expect(state.puts).toEqual([
      { principal: 'group:default/platform', role: 'WORKSPACE_MEMBER' },
    ]);
  });

  it('removes a binding after confirmation, naming the principal in the query', async () => {
    const state = serveMembers([
      binding('group:default/data-eng', 'WORKSPACE_OPERATOR'),
      binding('user:default/bob', 'WORKSPACE_MEMBER'),
    ]);
    renderAstroPage(PAGE);
    const table = await membersTable();
    await userEvent.click(
      within(table).getByRole('button', {
        name: 'Remove group:default/data-eng',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'group:default/data-eng loses the role Operator on workspace acme/data-eng',
    );
    expect(state.deletes).toEqual([]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Remove' }),
    );
    await waitFor(() =>
      expect(state.deletes).toEqual(['group:default/data-eng']),
    );
    await waitFor(() =>
      expect(
        within(table).queryByText('group:default/data-eng'),
      ).not.toBeInTheDocument(),
    );
    expect(within(table).getByText('user:default/bob')).toBeInTheDocument();
  });

  it('shows your own roles there, and through which group', async () => {
    serveMembers([]);
    server.use(
      astroHttp.get('/me/permissions', ({ request }) => {
        expect(new URL(request.url).searchParams.get('resource')).toBe(
          'workspace:acme/data-eng',
        );
        return HttpResponse.json({
          ...noRolesAnswer,
          claims: ['user:default/alice', 'group:default/data-eng'],
          roles: [
            binding('group:default/data-eng', 'WORKSPACE_AUTHOR'),
            {
              ...binding('user:default/alice', 'ORGANIZATION_MEMBER'),
              scope: { kind: 'organization', organization: 'acme' },
            },
          ],
          allowed: ['astro.workspace.read', 'astro.deployment.deploy'],
          denied: ['astro.workspace.roles.manage'],
        });
      }),
    );
    renderAstroPage(PAGE);
    const roles = await screen.findByRole('list', { name: 'Your roles' });
    const items = within(roles).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'Author on workspace acme/data-eng through data-eng',
    );
    expect(items[1]).toHaveTextContent(
      'Organization member on organization acme',
    );
    expect(items[1]).not.toHaveTextContent('through');
    expect(
      screen.getByText(
        'Allowed here: astro.workspace.read, astro.deployment.deploy',
      ),
    ).toBeInTheDocument();
  });
});
