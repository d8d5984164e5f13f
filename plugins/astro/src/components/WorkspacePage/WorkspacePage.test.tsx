import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import { deployment, workspace } from '../../__testUtils__/fixtures';

const server = setupAstroServer();
const PATH = '/astro/organizations/acme/workspaces/data-eng';

function serveWorkspace(deployments = [deployment()]) {
  server.use(
    astroHttp.get('/organizations/{org}/workspaces/{ws}/tokens', () =>
      HttpResponse.json({ items: [] }),
    ),
    astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
      HttpResponse.json(workspace),
    ),
    astroHttp.get('/organizations/{org}/deployments', ({ request }) => {
      expect(new URL(request.url).searchParams.get('workspace')).toBe(
        'data-eng',
      );
      return HttpResponse.json({ items: deployments });
    }),
    astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
      HttpResponse.json({
        components: [],
        workerQueues: [
          {
            name: 'default',
            minWorkers: 0,
            maxWorkers: 10,
            desiredWorkers: 3,
            readyWorkers: 3,
          },
        ],
      }),
    ),
  );
}

describe('WorkspacePage', () => {
  it('pages, searches and sorts many Deployments in the browser, without console warnings', async () => {
    const warn = jest.spyOn(console, 'warn');
    const many = Array.from({ length: 25 }, (_, i) =>
      deployment({
        name: `etl-${String(i).padStart(2, '0')}`,
        updatedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
      }),
    );
    serveWorkspace(many);
    renderAstroPage(PATH);
    const table = await screen.findByRole('table', {
      name: 'Deployments (25)',
    });
    const names = () =>
      within(table)
        .getAllByRole('link')
        .map(link => link.textContent);
    // Newest change first, 20 to a page.
    expect(names()).toHaveLength(20);
    expect(names()[0]).toBe('etl-24');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(names()).toEqual(['etl-04', 'etl-03', 'etl-02', 'etl-01', 'etl-00']);

    await userEvent.click(within(table).getByRole('button', { name: 'Name' }));
    expect(names()[0]).toBe('etl-00');
    await userEvent.click(within(table).getByRole('button', { name: 'Name' }));
    expect(names()[0]).toBe('etl-24');

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Filter the Deployments' }),
      'etl-13',
    );
    await waitFor(() => expect(names()).toEqual(['etl-13']));
    expect(screen.queryByRole('button', { name: 'Next page' })).toBeNull();
    expect(
      warn.mock.calls.filter(call => /material|columns/i.test(String(call[0]))),
    ).toEqual([]);
    warn.mockRestore();
  });

  it('lists the Deployments with status, size and placement', async () => {
    serveWorkspace([
      deployment(),
      deployment({
        name: 'reports',
        status: 'DEPLOYING',
        statusReason: 'Rolling out generation 3',
        settings: {
          ...deployment().settings,
          executor: 'KUBERNETES',
          workerQueues: [],
        },
      }),
    ]);
    renderAstroPage(PATH);
    expect(
      await screen.findByRole('heading', { name: 'Data Engineering' }),
    ).toBeInTheDocument();
    const row = (await screen.findByRole('link', { name: 'etl' })).closest(
      'tr',
    )!;
    expect(row).toHaveTextContent('Healthy');
    expect(row).toHaveTextContent('3.1.3');
    expect(row).toHaveTextContent('Celery');
    expect(row).toHaveTextContent('simulator');
    // Workers: current from the cluster, max from the queues' settings.
    expect(
      await within(row).findByLabelText('3 of at most 10 workers'),
    ).toBeInTheDocument();
    const reports = screen
      .getByRole('link', { name: 'reports' })
      .closest('tr')!;
    // The status reason is there for screen readers, not only on hover.
    expect(reports).toHaveTextContent('Deploying: Rolling out generation 3');
    expect(reports).toHaveTextContent('Task pods');
    expect(screen.getByRole('link', { name: 'etl' })).toHaveAttribute(
      'href',
      '/astro/organizations/acme/deployments/etl',
    );
  });

  it('does not ask for the workers of a Deployment being deleted', async () => {
    serveWorkspace([
      deployment(),
      deployment({ name: 'going', status: 'DELETING' }),
    ]);
    const asked: string[] = [];
    server.events.on('request:start', ({ request }) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith('/components')) {
        asked.push(path.split('/').slice(-2, -1)[0]);
      }
    });
    renderAstroPage(PATH);
    const etl = (await screen.findByRole('link', { name: 'etl' })).closest(
      'tr',
    )!;
    expect(
      await within(etl).findByLabelText('3 of at most 10 workers'),
    ).toBeInTheDocument();
    const going = screen.getByRole('link', { name: 'going' }).closest('tr')!;
    expect(going).toHaveTextContent('Deleting');
    expect(asked).toEqual(['etl']);
    server.events.removeAllListeners();
  });

  it('offers "Create Deployment" only to users allowed to create', async () => {
    serveWorkspace();
    renderAstroPage(PATH);
    expect(
      await screen.findByRole('button', { name: /Create Deployment/ }),
    ).toHaveAttribute(
      'href',
      '/astro/organizations/acme/deployments/new?workspace=data-eng',
    );
  });

  it('shows the members with the catalog owner, and edit and delete actions', async () => {
    serveWorkspace();
    renderAstroPage(PATH);
    const card = (await screen.findByText('Members')).closest(
      '.MuiCard-root',
    ) as HTMLElement;
    expect(card).toHaveTextContent(
      'Who holds a role on workspace acme/data-eng',
    );
    expect(card).toHaveTextContent('Owner in the catalog: data-eng');
    expect(
      screen.getByRole('button', { name: /Edit workspace/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Delete workspace/ }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'acme' })).toHaveAttribute(
      'href',
      '/astro/organizations/acme',
    );
  });

  it('edits the workspace with the version it read', async () => {
    serveWorkspace();
    const bodies: unknown[] = [];
    server.use(
      astroHttp.patch(
        '/organizations/{org}/workspaces/{ws}',
        async ({ request }) => {
          const body = await request.json();
          bodies.push(body);
          return HttpResponse.json({
            ...workspace,
            title: body.title ?? workspace.title,
            description: body.description ?? workspace.description,
            version: 2,
          });
        },
      ),
    );
    renderAstroPage(PATH);
    await userEvent.click(
      await screen.findByRole('button', { name: /Edit workspace/ }),
    );
    const dialog = await screen.findByRole('dialog');
    const description = within(dialog).getByRole('textbox', {
      name: 'Description',
    });
    await userEvent.clear(description);
    await userEvent.type(description, 'Batch pipelines');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(bodies).toEqual([
        {
          title: 'Data Engineering',
          description: 'Batch pipelines',
          version: 1,
        },
      ]),
    );
  });

  it('says which permission is missing when deleting is refused', async () => {
    serveWorkspace();
    server.use(
      astroHttp.delete('/organizations/{org}/workspaces/{ws}', () =>
        errorResponse(
          403,
          'NotAllowedError',
          'The permission policy denies astro.workspace.delete on acme/data-eng',
        ),
      ),
    );
    renderAstroPage(PATH);
    await userEvent.click(
      await screen.findByRole('button', { name: /Delete workspace/ }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete workspace' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The workspace was not deleted: You need astro.workspace.delete on acme/data-eng',
    );
  });

  it('says so when the workspace has no Deployments', async () => {
    serveWorkspace([]);
    renderAstroPage(PATH);
    expect(
      await screen.findByText('This workspace has no Deployments yet.'),
    ).toBeInTheDocument();
  });

  it('explains a workspace that does not exist, with one request', async () => {
    const listed = jest.fn();
    server.use(
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        errorResponse(404, 'NotFoundError', 'No workspace data-eng in acme'),
      ),
      astroHttp.get('/organizations/{org}/deployments', () => {
        listed();
        return errorResponse(
          404,
          'NotFoundError',
          'No workspace data-eng in acme',
        );
      }),
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByText(/Could not find workspace data-eng/),
    ).toBeInTheDocument();
    // Its Deployments are not asked for: a second 404 the browser logs.
    expect(listed).not.toHaveBeenCalled();
  });

  it('shows a spinner while loading', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/workspaces/{ws}', async () => {
        await new Promise(() => {});
        return HttpResponse.json(workspace);
      }),
      astroHttp.get('/organizations/{org}/deployments', () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading the workspace' }),
    ).toBeInTheDocument();
  });
});
