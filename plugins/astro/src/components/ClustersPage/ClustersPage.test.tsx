import { screen } from '@testing-library/react';
import {
  errorResponse,
  HttpResponse,
  renderAstroPage,
  setupAstroServer,
  astroHttp,
} from '../../__testUtils__/testApp';
import { cluster } from '../../__testUtils__/fixtures';

const server = setupAstroServer();

describe('ClustersPage', () => {
  it('lists clusters with type, driver, capabilities and load', async () => {
    server.use(
      astroHttp.get('/clusters', () =>
        HttpResponse.json({
          items: [
            cluster,
            {
              ...cluster,
              name: 'prod-eu',
              title: 'Production EU',
              type: 'dedicated',
              organization: 'acme',
              driver: 'kubernetes',
              provider: 'aws',
              region: 'eu-west-1',
              deploymentCount: 12,
              reachable: true,
              capabilities: { keda: true, kubernetesVersion: 'v1.31.2' },
            },
          ],
        }),
      ),
    );
    renderAstroPage('/astro/clusters');
    const simulator = (await screen.findByText('Built-in simulator')).closest(
      'tr',
    )!;
    // The simulator is labelled as such wherever users see it.
    expect(simulator).toHaveTextContent('Simulator (not a real cluster)');
    expect(simulator).toHaveTextContent('Standard (shared)');
    expect(simulator).toHaveTextContent('Not reported');
    const prod = screen.getByText('Production EU').closest('tr')!;
    expect(prod).toHaveTextContent('Dedicated to acme');
    expect(prod).toHaveTextContent('kubernetes');
    expect(prod).toHaveTextContent('aws / eu-west-1');
    expect(prod).toHaveTextContent('KEDA present');
    expect(prod).toHaveTextContent('Kubernetes v1.31.2');
    expect(prod).toHaveTextContent('12');
  });

  it('says so when no cluster is registered', async () => {
    server.use(
      astroHttp.get('/clusters', () => HttpResponse.json({ items: [] })),
    );
    renderAstroPage('/astro/clusters');
    expect(
      await screen.findByText(/No clusters are registered yet/),
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
      await screen.findByText(/Could not load the clusters: database is down/),
    ).toBeInTheDocument();
  });
});
