import { screen, within } from '@testing-library/react';
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

  it('shows the owner group and its members from the catalog', async () => {
    serveWorkspace();
    renderAstroPage(PATH, {
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'data-eng', namespace: 'default' },
          spec: { type: 'team', children: [] },
          relations: [
            { type: 'hasMember', targetRef: 'user:default/alice' },
            { type: 'hasMember', targetRef: 'user:default/bob' },
          ],
        },
      ],
    });
    const card = (await screen.findByText('Owners and members')).closest(
      '.MuiCard-root',
    ) as HTMLElement;
    expect(card).toHaveTextContent('Ownerdata-eng');
    expect(await within(card).findByText('alice')).toBeInTheDocument();
    expect(card).toHaveTextContent('Membersalice, bob');
  });

  it('says so when the workspace has no Deployments', async () => {
    serveWorkspace([]);
    renderAstroPage(PATH);
    expect(
      await screen.findByText('This workspace has no Deployments yet.'),
    ).toBeInTheDocument();
  });

  it('explains a workspace that does not exist', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/workspaces/{ws}', () =>
        errorResponse(404, 'NotFoundError', 'No workspace data-eng in acme'),
      ),
      astroHttp.get('/organizations/{org}/deployments', () =>
        errorResponse(404, 'NotFoundError', 'No workspace data-eng in acme'),
      ),
    );
    renderAstroPage(PATH);
    expect(
      await screen.findByText(/Could not find workspace data-eng/),
    ).toBeInTheDocument();
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
