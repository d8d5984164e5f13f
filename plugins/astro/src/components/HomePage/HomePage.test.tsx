import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AstroApiSchemas,
  DeploymentSummary,
} from '@airflow-portal/plugin-astro-common';
import {
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import {
  cluster,
  deployment,
  organization,
  workspace,
} from '../../__testUtils__/fixtures';

const server = setupAstroServer();

const globex = { ...organization, name: 'globex', title: 'Globex' };
const analytics = (org: string) => ({
  ...workspace,
  organization: org,
  name: 'analytics',
  title: 'Analytics',
  owner: undefined,
});

/** Deployments in two organizations, each with an "Analytics" workspace. */
const ALL: DeploymentSummary[] = [
  {
    ...deployment(),
    openIncidents: 2,
    lastDeploy: {
      type: 'DAG',
      status: 'DEPLOYED',
      createdAt: new Date(Date.now() - 3 * 60_000).toISOString(),
      createdBy: 'user:default/jane',
    },
  },
  {
    ...deployment({
      name: 'reports',
      title: 'Reports',
      workspace: 'analytics',
    }),
    openIncidents: 0,
  },
  {
    ...deployment({
      organization: 'globex',
      name: 'billing',
      title: 'Billing',
      workspace: 'analytics',
      status: 'UNHEALTHY',
    }),
    openIncidents: 1,
  },
];

/**
 * A backend that filters and pages like the real one, and records what the
 * page asked for.
 */
function serveHome(options: { deployments?: DeploymentSummary[] } = {}) {
  const asked: URLSearchParams[] = [];
  const deployments = options.deployments ?? ALL;
  server.use(
    astroHttp.get('/organizations', () =>
      HttpResponse.json({ items: [organization, globex] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces', ({ params }) =>
      HttpResponse.json({
        items:
          params.org === 'acme'
            ? [workspace, analytics('acme')]
            : [analytics('globex')],
      }),
    ),
    astroHttp.get('/deployments', ({ request }) => {
      const query = new URL(request.url).searchParams;
      asked.push(query);
      const search = query.get('search')?.toLowerCase();
      const hits = deployments.filter(
        d =>
          (!query.get('organization') ||
            d.organization === query.get('organization')) &&
          (!query.get('workspace') || d.workspace === query.get('workspace')) &&
          (!query.get('status') || d.status === query.get('status')) &&
          (!search ||
            d.name.includes(search) ||
            d.title.toLowerCase().includes(search)),
      );
      const offset = Number(query.get('offset') ?? 0);
      const limit = Number(query.get('limit') ?? 50);
      const page: AstroApiSchemas['DeploymentSummaryPage'] = {
        items: hits.slice(offset, offset + limit),
        totalCount: hits.length,
      };
      return HttpResponse.json(page);
    }),
    astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
      HttpResponse.json({ components: [], workerQueues: [] }),
    ),
  );
  return { asked, last: () => asked[asked.length - 1] };
}

/** The Deployments the table shows, by their links. */
function rowNames() {
  return screen
    .queryAllByRole('link')
    .filter(link =>
      /\/deployments\/(?!new)[^/?]+$/.test(link.getAttribute('href') ?? ''),
    )
    .map(link => link.textContent);
}

async function choose(label: string, option: string) {
  await userEvent.click(screen.getByLabelText(label));
  await userEvent.click(
    within(screen.getByRole('listbox')).getByRole('option', { name: option }),
  );
}

describe('the Airflow home', () => {
  it('lists the Deployments of every organization in one table', async () => {
    serveHome();
    renderAstroPage('/astro');
    expect(
      await screen.findByRole('heading', { name: 'Deployments (3)' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Deployments' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(rowNames()).toEqual(['etl', 'reports', 'billing']);
    expect(screen.getByRole('link', { name: 'billing' })).toHaveAttribute(
      'href',
      '/astro/organizations/globex/deployments/billing',
    );
    // Workspace names repeat: the organization tells them apart.
    expect(
      screen.getByRole('link', { name: 'Acme Corp / Analytics' }),
    ).toHaveAttribute('href', '/astro/organizations/acme/workspaces/analytics');
    expect(
      screen.getByRole('link', { name: 'Globex / Analytics' }),
    ).toBeInTheDocument();
    const etl = screen.getByRole('link', { name: 'etl' }).closest('tr')!;
    expect(etl).toHaveTextContent('Healthy');
    expect(etl).toHaveTextContent('3.1.3');
    expect(etl).toHaveTextContent('simulator');
    expect(etl).toHaveTextContent('3 minutes ago');
    expect(etl).toHaveTextContent('DAGs by jane');
    const reports = screen
      .getByRole('link', { name: 'reports' })
      .closest('tr')!;
    expect(reports).toHaveTextContent('No deploys yet');
  });

  it('narrows to the hits only, filtered by the backend', async () => {
    const { last } = serveHome();
    renderAstroPage('/astro');
    await screen.findByRole('heading', { name: 'Deployments (3)' });

    await choose('Organization', 'Acme Corp');
    expect(
      await screen.findByRole('heading', { name: 'Deployments (2)' }),
    ).toBeInTheDocument();
    expect(rowNames()).toEqual(['etl', 'reports']);
    expect(last().get('organization')).toBe('acme');

    // The workspace picker offers the chosen organization's workspaces only.
    await userEvent.click(screen.getByLabelText('Workspace'));
    const listbox = screen.getByRole('listbox');
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'Any workspace',
      'Acme Corp / Data Engineering',
      'Acme Corp / Analytics',
    ]);
    await userEvent.click(
      within(listbox).getByRole('option', { name: 'Acme Corp / Analytics' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Deployments (1)' }),
    ).toBeInTheDocument();
    expect(rowNames()).toEqual(['reports']);
    expect(last().get('workspace')).toBe('analytics');

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await screen.findByRole('heading', { name: 'Deployments (3)' });

    await choose('Status', 'Unhealthy');
    expect(
      await screen.findByRole('heading', { name: 'Deployments (1)' }),
    ).toBeInTheDocument();
    expect(rowNames()).toEqual(['billing']);
    expect(last().get('status')).toBe('UNHEALTHY');
  });

  it('searches by name or title once typing pauses', async () => {
    const { asked, last } = serveHome();
    renderAstroPage('/astro');
    await screen.findByRole('heading', { name: 'Deployments (3)' });
    const before = asked.length;
    await userEvent.type(
      screen.getByLabelText('Search by name or title'),
      'nightly',
    );
    expect(
      await screen.findByRole('heading', { name: 'Deployments (1)' }),
    ).toBeInTheDocument();
    expect(rowNames()).toEqual(['etl']);
    expect(last().get('search')).toBe('nightly');
    // One request for the whole word, not one per keystroke.
    expect(asked.slice(before).map(q => q.get('search'))).toEqual(['nightly']);
  });

  it('shows one empty state when nothing matches, and clears the filters from it', async () => {
    serveHome();
    renderAstroPage('/astro?org=globex&status=HEALTHY');
    expect(
      await screen.findByText('No Deployments match these filters'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getAllByText(/No Deployments/)).toHaveLength(1);
    const clear = screen.getAllByRole('button', { name: 'Clear filters' });
    await userEvent.click(clear[clear.length - 1]);
    expect(
      await screen.findByRole('heading', { name: 'Deployments (3)' }),
    ).toBeInTheDocument();
  });

  it('reads the filters and page from the address', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      ...deployment({ name: `dep-${String(i).padStart(2, '0')}`, title: '' }),
      openIncidents: 0,
    }));
    const { last } = serveHome({ deployments: many });
    renderAstroPage('/astro?org=acme&ws=data-eng&q=dep&page=1');
    expect(
      await screen.findByRole('heading', { name: 'Deployments (25)' }),
    ).toBeInTheDocument();
    expect(rowNames()).toEqual([
      'dep-20',
      'dep-21',
      'dep-22',
      'dep-23',
      'dep-24',
    ]);
    expect(Object.fromEntries(last())).toEqual({
      organization: 'acme',
      workspace: 'data-eng',
      search: 'dep',
      limit: '20',
      offset: '20',
    });
    expect(screen.getByLabelText('Search by name or title')).toHaveValue('dep');
    expect(screen.getByLabelText('Organization')).toHaveTextContent(
      'Acme Corp',
    );
    expect(screen.getByLabelText('Workspace')).toHaveTextContent(
      'Acme Corp / Data Engineering',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    await waitFor(() => expect(rowNames()).toHaveLength(20));
    expect(last().get('offset')).toBe('0');
  });

  it('offers Create Deployment in the workspaces the user may create in', async () => {
    serveHome();
    renderAstroPage('/astro');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create Deployment' }),
    );
    const menu = screen.getByRole('menu');
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map(item => item.textContent),
    ).toEqual([
      'in Acme Corp / Data Engineering',
      'in Acme Corp / Analytics',
      'in Globex / Analytics',
    ]);
    expect(
      within(menu).getByRole('menuitem', { name: 'in Globex / Analytics' }),
    ).toHaveAttribute(
      'href',
      '/astro/organizations/globex/deployments/new?workspace=analytics',
    );
  });

  it('hides Create Deployment without the permission', async () => {
    serveHome();
    // Another organization than the other tests': the permission client
    // caches its answers per resource within the test file.
    server.use(
      astroHttp.get('/organizations', () =>
        HttpResponse.json({ items: [{ ...globex, name: 'hooli' }] }),
      ),
    );
    renderAstroPage('/astro', {
      allow: permission => permission !== 'astro.deployment.create',
    });
    await screen.findByRole('heading', { name: 'Deployments (3)' });
    expect(
      screen.queryByRole('button', { name: /Create Deployment/ }),
    ).not.toBeInTheDocument();
  });

  it('shows workspaces by organization and the clusters in their tabs', async () => {
    serveHome();
    server.use(
      astroHttp.get('/organizations/{org}/deployments', ({ params }) =>
        HttpResponse.json({
          items: ALL.filter(d => d.organization === params.org),
        }),
      ),
      astroHttp.get('/organizations/{org}/incidents', () =>
        HttpResponse.json({ items: [] }),
      ),
      astroHttp.get('/clusters', () => HttpResponse.json({ items: [cluster] })),
    );
    renderAstroPage('/astro');
    await screen.findByRole('heading', { name: 'Deployments (3)' });

    await userEvent.click(screen.getByRole('tab', { name: 'Workspaces' }));
    expect(
      await screen.findByRole('link', { name: 'Data Engineering' }),
    ).toHaveAttribute('href', '/astro/organizations/acme/workspaces/data-eng');
    const summary = await screen.findByRole('list', {
      name: 'Deployments of acme by status',
    });
    expect(summary).toHaveTextContent('2Healthy');
    expect(
      await screen.findByRole('list', {
        name: 'Deployments of globex by status',
      }),
    ).toHaveTextContent('1Unhealthy');
    expect(screen.queryByText('Deployments (3)')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Clusters' }));
    expect(await screen.findByText('Built-in simulator')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Registered clusters' }),
    ).toBeInTheDocument();
  });

  it('opens the tab the address names', async () => {
    serveHome();
    server.use(
      astroHttp.get('/clusters', () => HttpResponse.json({ items: [cluster] })),
    );
    renderAstroPage('/astro?tab=clusters');
    expect(await screen.findByText('Built-in simulator')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Registered clusters' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Clusters' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('says so when there are no organizations', async () => {
    server.use(
      astroHttp.get('/organizations', () => HttpResponse.json({ items: [] })),
    );
    renderAstroPage('/astro');
    expect(await screen.findByText('No organizations yet')).toBeInTheDocument();
  });

  it('explains a 403 instead of showing an empty page', async () => {
    server.use(
      astroHttp.get('/organizations', () =>
        errorResponse(403, 'NotAllowedError', 'You are not allowed to read'),
      ),
    );
    renderAstroPage('/astro');
    expect(
      await screen.findByText(/You are not allowed to see the organizations/),
    ).toBeInTheDocument();
  });

  it('explains an unreachable backend and offers to try again', async () => {
    let calls = 0;
    server.use(
      astroHttp.get('/organizations', () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.error()
          : HttpResponse.json({ items: [] });
      }),
    );
    renderAstroPage('/astro');
    expect(
      await screen.findByText(/the Airflow backend could not be reached/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No organizations yet')).toBeInTheDocument();
  });
});
