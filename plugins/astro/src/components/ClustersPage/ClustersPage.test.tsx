import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  Cluster,
  ClusterCreateRequest,
  ClusterUpdateRequest,
} from '@airflow-portal/plugin-astro-common';
import {
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import { cluster, organization } from '../../__testUtils__/fixtures';

const server = setupAstroServer();
// The page loads lazily; on a busy machine its first render takes a while.
const FIRST_RENDER = { timeout: 20_000 };
jest.setTimeout(120_000);
const GIB = 1024 ** 3;
const HOUR_AGO = new Date(Date.now() - 3_600_000).toISOString();

const prod: Cluster = {
  ...cluster,
  name: 'prod-eu',
  title: 'Production EU',
  type: 'dedicated',
  organization: 'acme',
  driver: 'kubernetes',
  provider: 'aws',
  region: 'eu-west-1',
  source: 'api',
  deploymentCount: 12,
  reachable: true,
  reachability: { since: HOUR_AGO, checkedAt: HOUR_AGO },
  capabilities: { keda: true, kubernetesVersion: 'v1.31.2' },
  capacity: {
    reserved: { cpu: 12.5, memoryBytes: 40 * GIB },
    allocatable: { nodes: 4, cpu: 32, memoryBytes: 128 * GIB },
  },
};

const down: Cluster = {
  ...prod,
  name: 'lab',
  title: 'Lab',
  type: 'standard',
  organization: undefined,
  deploymentCount: 0,
  reachable: false,
  reachability: {
    since: HOUR_AGO,
    checkedAt: HOUR_AGO,
    lastError: 'Cluster lab is unreachable: connect ECONNREFUSED 10.0.0.9:6443',
  },
  capabilities: undefined,
  capacity: { reserved: { cpu: 0, memoryBytes: 0 } },
};

/** A fake backend holding clusters, recording what the page sends. */
function serveClusters(initial: Cluster[]) {
  const state = {
    clusters: initial,
    created: [] as ClusterCreateRequest[],
    updated: [] as ClusterUpdateRequest[],
    deleted: [] as string[],
  };
  server.use(
    astroHttp.get('/clusters', () =>
      HttpResponse.json({ items: state.clusters }),
    ),
    astroHttp.get('/organizations', () =>
      HttpResponse.json({ items: [{ ...organization, name: 'acme' }] }),
    ),
    astroHttp.post('/clusters', async ({ request }) => {
      const body = (await request.json()) as ClusterCreateRequest;
      state.created.push(body);
      const created: Cluster = {
        ...cluster,
        name: body.name,
        title: body.title ?? body.name,
        type: body.type,
        provider: body.provider,
        region: body.region,
        driver: 'kubernetes',
        source: 'api',
        deploymentCount: 0,
      };
      state.clusters = [...state.clusters, created];
      return HttpResponse.json(created, { status: 201 });
    }),
    astroHttp.patch('/clusters/{cluster}', async ({ request }) => {
      state.updated.push((await request.json()) as ClusterUpdateRequest);
      return HttpResponse.json(prod);
    }),
    astroHttp.delete('/clusters/{cluster}', ({ params }) => {
      const target = state.clusters.find(c => c.name === params.cluster)!;
      if (target.deploymentCount > 0) {
        return errorResponse(
          409,
          'ConflictError',
          `Cluster "${target.name}" still runs ${target.deploymentCount} deployment(s)`,
        );
      }
      state.deleted.push(String(params.cluster));
      state.clusters = state.clusters.filter(c => c !== target);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return state;
}

function type(element: HTMLElement, value: string) {
  fireEvent.change(element, { target: { value } });
}

describe('ClustersPage', () => {
  it('lists clusters with type, driver, health, capabilities and capacity', async () => {
    serveClusters([cluster, prod, down]);
    renderAstroPage('/astro/clusters', { allow: false });
    const simulator = (
      await screen.findByText('Built-in simulator', {}, FIRST_RENDER)
    ).closest('tr')!;
    // The simulator is labelled as such wherever users see it.
    expect(simulator).toHaveTextContent('Simulator (not a real cluster)');
    expect(simulator).toHaveTextContent('Standard (shared)');
    expect(simulator).toHaveTextContent('Not checked yet');
    expect(simulator).toHaveTextContent('Not reported');

    const prodRow = screen.getByText('Production EU').closest('tr')!;
    expect(prodRow).toHaveTextContent('Dedicated to acme');
    expect(prodRow).toHaveTextContent('kubernetes');
    expect(prodRow).toHaveTextContent('aws / eu-west-1');
    expect(prodRow).toHaveTextContent('Reachable since 1 hour ago');
    expect(prodRow).toHaveTextContent('KEDA present');
    expect(prodRow).toHaveTextContent('Kubernetes v1.31.2');
    expect(prodRow).toHaveTextContent(
      '12.5 of 32 CPU, 40 of 128 GiB reserved by quotas',
    );
    expect(prodRow).toHaveTextContent('4 nodes');
    expect(
      within(prodRow).getByRole('progressbar', {
        name: 'CPU reserved by quotas: 39%',
      }),
    ).toHaveAttribute('aria-valuenow', '39');
    expect(
      within(prodRow).getByRole('progressbar', {
        name: 'Memory reserved by quotas: 31%',
      }),
    ).toBeInTheDocument();
    expect(prodRow).toHaveTextContent('12');

    const labRow = screen.getByText('Lab').closest('tr')!;
    expect(labRow).toHaveTextContent('Not reachable since 1 hour ago');
    expect(labRow).toHaveTextContent(
      'Cluster lab is unreachable: connect ECONNREFUSED 10.0.0.9:6443',
    );
    expect(labRow).toHaveTextContent('0 CPU, 0 GiB reserved by quotas');
    expect(labRow).toHaveTextContent('Not reachable: node capacity unknown');
    expect(within(labRow).queryByRole('progressbar')).toBeNull();

    // Without astro.cluster.manage: nothing to register, edit or delete.
    expect(
      screen.queryByRole('button', { name: 'Register cluster' }),
    ).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Edit cluster prod-eu' }),
    ).toBeNull();
    // Backstage's usePermission keeps answers in SWR's global cache and does
    // not ask again within SWR's deduplication interval (2 s): past it, the
    // next test's page asks again instead of keeping this denial.
    await new Promise(resolve => setTimeout(resolve, 2100));
  });

  it('calls over-commitment and unreadable nodes what they are', async () => {
    serveClusters([
      {
        ...prod,
        capacity: {
          reserved: { cpu: 40, memoryBytes: 80 * GIB },
          allocatable: { nodes: 1, cpu: 31.2, memoryBytes: 120 * GIB },
        },
      },
      {
        ...down,
        reachable: true,
        capacity: {
          reserved: { cpu: 2, memoryBytes: 4 * GIB },
          allocatableError:
            "Nodes not readable: Cluster lab refused the platform's credentials: nodes is forbidden",
        },
      },
    ]);
    renderAstroPage('/astro/clusters');
    const prodRow = (
      await screen.findByText('Production EU', {}, FIRST_RENDER)
    ).closest('tr')!;
    expect(prodRow).toHaveTextContent(
      '40 of 31.2 CPU, 80 of 120 GiB reserved by quotas',
    );
    expect(prodRow).toHaveTextContent(
      '1 node; over-committed: the quotas allow more than the nodes hold',
    );
    expect(
      within(prodRow).getByRole('progressbar', {
        name: 'CPU reserved by quotas: 128%',
      }),
    ).toHaveAttribute('aria-valuenow', '100');
    const labRow = screen.getByText('Lab').closest('tr')!;
    expect(labRow).toHaveTextContent('2 CPU, 4 GiB reserved by quotas');
    expect(labRow).toHaveTextContent('nodes is forbidden');
  });

  it('registers a cluster: checks the form, puts API errors on their fields with focus, and never shows the token again', async () => {
    const state = serveClusters([cluster]);
    let refuseServer = true;
    server.use(
      astroHttp.post('/clusters', async ({ request }) => {
        const body = (await request.json()) as ClusterCreateRequest;
        if (refuseServer) {
          refuseServer = false;
          return errorResponse(
            400,
            'InputError',
            'connection.server: must be an http(s) URL; name: a cluster named "lab" already exists',
          );
        }
        state.created.push(body);
        state.clusters = [
          ...state.clusters,
          { ...prod, name: body.name, title: body.title ?? body.name },
        ];
        return HttpResponse.json(prod, { status: 201 });
      }),
    );
    renderAstroPage('/astro/clusters');
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Register cluster' },
        FIRST_RENDER,
      ),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Register' }),
    );
    // Nothing sent; each required field says so, and the first has focus.
    expect(state.created).toHaveLength(0);
    expect(within(dialog).getByLabelText(/^Name/)).toHaveFocus();
    expect(within(dialog).getAllByText('Required')).toHaveLength(5);

    type(within(dialog).getByLabelText(/^Name/), 'lab');
    type(within(dialog).getByLabelText(/^Title/), 'Lab cluster');
    await userEvent.click(within(dialog).getByLabelText('Type'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Dedicated' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Register' }),
    );
    expect(
      within(dialog).getByText(
        'A dedicated cluster belongs to an organization',
      ),
    ).toBeVisible();
    await userEvent.click(within(dialog).getByLabelText(/^Organization/));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Acme Corp' }),
    );
    type(within(dialog).getByLabelText(/^Provider/), 'on-prem');
    type(within(dialog).getByLabelText(/^Region/), 'basement');
    type(
      within(dialog).getByLabelText(/^API server URL/),
      'https://10.0.0.9:6443',
    );
    type(within(dialog).getByLabelText(/^Token/), 'sa-secret-token');
    await userEvent.click(
      within(dialog).getByLabelText('Skip TLS verification'),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Register' }),
    );

    // The API's field messages land on their fields; the first has focus.
    expect(
      await within(dialog).findByText('a cluster named "lab" already exists'),
    ).toBeVisible();
    expect(within(dialog).getByText('must be an http(s) URL')).toBeVisible();
    await waitFor(() =>
      expect(within(dialog).getByLabelText(/^Name/)).toHaveFocus(),
    );
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'The cluster was not registered',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Register' }),
    );
    await waitFor(() => expect(state.created).toHaveLength(1));
    expect(state.created[0]).toEqual({
      name: 'lab',
      title: 'Lab cluster',
      type: 'dedicated',
      organization: 'acme',
      provider: 'on-prem',
      region: 'basement',
      connection: {
        server: 'https://10.0.0.9:6443',
        token: 'sa-secret-token',
        skipTLSVerify: true,
      },
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('lab')).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('sa-secret-token');
  });

  it('edits a registered cluster, keeping its connection unless a new one is typed', async () => {
    const state = serveClusters([cluster, prod]);
    renderAstroPage('/astro/clusters');
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Edit cluster prod-eu' },
        FIRST_RENDER,
      ),
    );
    // Declared clusters are changed in configuration only.
    expect(
      screen.queryByRole('button', { name: 'Edit cluster simulator' }),
    ).toBeNull();
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/^Name/)).toBeDisabled();
    expect(within(dialog).getByLabelText(/^Token/)).toHaveValue('');

    type(within(dialog).getByLabelText(/^Title/), 'Production Europe');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(state.updated).toHaveLength(1));
    expect(state.updated[0]).toEqual({
      title: 'Production Europe',
      description: '',
      version: prod.version,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit cluster prod-eu' }),
    );
    const again = await screen.findByRole('dialog');
    type(
      within(again).getByLabelText(/^API server URL/),
      'https://10.0.0.2:6443',
    );
    await userEvent.click(within(again).getByRole('button', { name: 'Save' }));
    // A new connection needs its token: the stored one is never sent back.
    expect(
      within(again).getByText('A changed connection needs its token again'),
    ).toBeVisible();
    expect(within(again).getByLabelText(/^Token/)).toHaveFocus();
    type(within(again).getByLabelText(/^Token/), 'new-token');
    await userEvent.click(within(again).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(state.updated).toHaveLength(2));
    expect(state.updated[1].connection).toEqual({
      server: 'https://10.0.0.2:6443',
      token: 'new-token',
    });
  });

  it('deletes an empty cluster and explains why one with Deployments is kept', async () => {
    const state = serveClusters([prod, down]);
    renderAstroPage('/astro/clusters');

    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Delete cluster prod-eu' },
        FIRST_RENDER,
      ),
    );
    let dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete cluster' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The cluster was not deleted: Cluster "prod-eu" still runs 12 deployment(s)',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(
      screen.getByRole('button', { name: 'Delete cluster lab' }),
    );
    dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete cluster' }),
    );
    await waitFor(() => expect(state.deleted).toEqual(['lab']));
    await waitFor(() => expect(screen.queryByText('Lab')).toBeNull());
  });

  it('says so when no cluster is registered', async () => {
    server.use(
      astroHttp.get('/clusters', () => HttpResponse.json({ items: [] })),
    );
    renderAstroPage('/astro/clusters');
    expect(
      await screen.findByText(
        /No clusters are registered yet/,
        {},
        FIRST_RENDER,
      ),
    ).toBeInTheDocument();
  });

  it('explains a failure to load', async () => {
    server.use(
      astroHttp.get('/clusters', () =>
        errorResponse(500, 'Error', 'database is down'),
      ),
    );
    renderAstroPage('/astro/clusters');
    expect(
      await screen.findByText(
        /Could not load the clusters: database is down/,
        {},
        FIRST_RENDER,
      ),
    ).toBeInTheDocument();
  });
});
