import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import {
  astroClusterDeploymentsEntityCard,
  astroClusterEntityCard,
  astroDeploymentEntityContent,
  astroDeploymentStatusEntityCard,
  astroOrganizationEntityCard,
  astroWorkspaceDeploymentsEntityCard,
} from './entityExtensions';
import {
  api,
  astroTestApis,
  http,
  HttpResponse,
  setupAstroServer,
  astroHttp,
} from '../__testUtils__/testApp';
import {
  cluster,
  deployment,
  organization,
  workspace,
} from '../__testUtils__/fixtures';

const server = setupAstroServer();

function entity(kind: string, name: string, annotations = {}): Entity {
  return {
    apiVersion: 'astro.airflow-portal.dev/v1alpha1',
    kind,
    metadata: { name, namespace: 'acme', annotations },
    spec: { organization: 'acme' },
  };
}

beforeEach(() => {
  server.use(
    astroHttp.get('/organizations/{org}', () =>
      HttpResponse.json(organization),
    ),
    astroHttp.get('/organizations/{org}/workspaces', () =>
      HttpResponse.json({ items: [workspace] }),
    ),
    astroHttp.get('/organizations/{org}/deployments', () =>
      HttpResponse.json({ items: [deployment()] }),
    ),
    astroHttp.get('/organizations/{org}/deployments/{dep}', () =>
      HttpResponse.json(deployment()),
    ),
    http.get(api('/organizations/acme/deployments/etl/:part'), () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'no' } },
        { status: 404 },
      ),
    ),
    astroHttp.get('/clusters/{cluster}', () => HttpResponse.json(cluster)),
  );
});

describe('entity views', () => {
  // An AstroDeployment entity page shows the same live status, settings and
  // incidents as the Deployment page, read through the API.
  it('shows the Airflow tab of an AstroDeployment entity', async () => {
    server.use(
      astroHttp.get('/organizations/{org}/deployments/{dep}/components', () =>
        HttpResponse.json({
          components: [
            {
              name: 'api-server',
              kind: 'Deployment',
              desiredReplicas: 1,
              readyReplicas: 0,
              state: 'Progressing',
            },
          ],
          workerQueues: [],
        }),
      ),
    );
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity('AstroDeployment', 'etl') }),
        astroDeploymentEntityContent,
      ],
      apis: astroTestApis(),
    });
    expect(await screen.findByText('Status')).toBeInTheDocument();
    expect(screen.getByText('Settings')).toBeInTheDocument();
    expect(screen.getByText('Incidents')).toBeInTheDocument();
    expect(
      screen.getByText('All components ready', { exact: false }),
    ).toBeInTheDocument();
    // Its api-server has no Ready replica yet.
    const open = screen.getByRole('button', { name: 'Open Airflow' });
    expect(open).toBeDisabled();
    await waitFor(() =>
      expect(open).toHaveAccessibleDescription(
        "Airflow's API server is not ready yet",
      ),
    );
  });

  it('reads the resource from the entity annotations when present', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: entity('AstroDeployment', 'acme-etl', {
            'astro.airflow-portal.dev/organization': 'acme',
            'astro.airflow-portal.dev/deployment': 'etl',
          }),
        }),
        astroDeploymentStatusEntityCard,
      ],
      apis: astroTestApis(),
    });
    expect(await screen.findByText('Airflow Deployment')).toBeInTheDocument();
    expect(
      await screen.findByText(/Airflow 3\.1\.3, celery executor/),
    ).toBeInTheDocument();
  });

  it('shows the Deployments of an AstroWorkspace entity', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity('AstroWorkspace', 'data-eng') }),
        astroWorkspaceDeploymentsEntityCard,
      ],
      apis: astroTestApis(),
    });
    expect(await screen.findByText('etl')).toBeInTheDocument();
  });

  it('shows workspaces and health of an AstroOrganization entity', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: entity('AstroOrganization', 'acme') }),
        astroOrganizationEntityCard,
      ],
      apis: astroTestApis(),
    });
    expect(await screen.findByText('Data Engineering')).toBeInTheDocument();
    expect(
      await screen.findByRole('list', {
        name: 'Deployments of acme by status',
      }),
    ).toHaveTextContent('1Healthy');
  });

  /** The entity page of AstroCluster `simulator` with one of our cards. */
  function renderClusterEntityPage(
    card:
      | typeof astroClusterEntityCard
      | typeof astroClusterDeploymentsEntityCard,
  ) {
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: {
            ...entity('AstroCluster', 'simulator'),
            metadata: { name: 'simulator', namespace: 'default' },
          },
        }),
        card,
      ],
      apis: astroTestApis(),
    });
  }

  it('shows an AstroCluster entity, the simulator labelled as such', async () => {
    renderClusterEntityPage(astroClusterEntityCard);
    expect(
      await screen.findByText('Simulator (not a real cluster)'),
    ).toBeInTheDocument();
  });

  it('shows the health and capacity of an AstroCluster', async () => {
    server.use(
      astroHttp.get('/clusters/{cluster}', () =>
        HttpResponse.json({
          ...cluster,
          reachable: true,
          reachability: {
            since: new Date(Date.now() - 5 * 60_000).toISOString(),
            checkedAt: new Date().toISOString(),
          },
          capacity: {
            reserved: { cpu: 40, memoryBytes: 80 * 1024 ** 3 },
            allocatable: {
              nodes: 8,
              cpu: 126.4,
              memoryBytes: 496 * 1024 ** 3,
            },
          },
        }),
      ),
    );
    renderClusterEntityPage(astroClusterEntityCard);
    expect(
      await screen.findByText(
        '40 of 126.4 CPU, 80 of 496 GiB reserved by quotas',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Reachable since/)).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'CPU reserved by quotas: 32%' }),
    ).toBeInTheDocument();
  });

  // The cluster's Deployments come from the API filtered by the cluster, a
  // page of ten at a time, instead of as a relation per Deployment.
  it('pages the Deployments on an AstroCluster entity, asking the API for that cluster', async () => {
    const all = Array.from({ length: 23 }, (_, i) => ({
      ...deployment({
        name: `etl-${String(i).padStart(2, '0')}`,
        cluster: i < 13 ? 'simulator' : 'other',
      }),
      openIncidents: 0,
    }));
    const asked: URLSearchParams[] = [];
    server.use(
      astroHttp.get('/organizations', () =>
        HttpResponse.json({ items: [organization] }),
      ),
      astroHttp.get('/deployments', ({ request }) => {
        const query = new URL(request.url).searchParams;
        asked.push(query);
        const hits = all.filter(
          d => !query.get('cluster') || d.cluster === query.get('cluster'),
        );
        const offset = Number(query.get('offset') ?? 0);
        const limit = Number(query.get('limit') ?? 50);
        return HttpResponse.json({
          items: hits.slice(offset, offset + limit),
          totalCount: hits.length,
        });
      }),
    );
    renderClusterEntityPage(astroClusterDeploymentsEntityCard);
    expect(
      await screen.findByText('Deployments on this cluster (13)'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', {
      name: 'Deployments on this cluster',
    });
    const names = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(row => row.querySelector('strong')?.textContent);
    expect(names()).toEqual(
      Array.from({ length: 10 }, (_, i) => `etl-${String(i).padStart(2, '0')}`),
    );
    expect(asked[0].get('cluster')).toBe('simulator');
    expect(asked[0].get('limit')).toBe('10');
    // Organization and workspace by their titles.
    expect(
      within(table).getAllByText('Acme Corp / Data Engineering'),
    ).toHaveLength(10);

    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(names()).toEqual(['etl-10', 'etl-11', 'etl-12']),
    );
    expect(asked[asked.length - 1].get('offset')).toBe('10');
    expect(screen.getByText('11-13 of 13')).toBeInTheDocument();
  });

  // The filters keep the views off entities of other kinds.
  it('does not show the Deployment card on other kinds', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'etl' },
            spec: {},
          },
        }),
        astroDeploymentStatusEntityCard,
      ],
      apis: astroTestApis(),
    });
    // Wait for the test page itself, then check the card stayed away.
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(screen.queryByText('Airflow Deployment')).not.toBeInTheDocument();
  });
});

describe('the Airflow tab', () => {
  // In the catalog's "deployment" group it would fold with the Kubernetes
  // plugin's tab into a "Deployment" menu.
  it('is a tab of its own, in no group', () => {
    const tester = createExtensionTester(astroDeploymentEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Airflow');
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBeUndefined();
  });
});
