import type { Incident } from '@airflow-portal/plugin-astro-common';
import type { SetupServer } from 'msw/node';
import { astroHttp, HttpResponse } from './testApp';

/** An open heartbeat incident of the fixture Deployment. */
export function openIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: '7',
    kind: 'heartbeat-missing',
    subject: 'scheduler',
    title: 'The scheduler heartbeat is missing',
    severity: 'critical',
    component: 'scheduler',
    state: 'open',
    openedAt: '2026-11-20T10:00:00Z',
    message: 'The scheduler has not heartbeated for 12 min',
    link: 'https://portal.example.com/astro/organizations/acme/deployments/etl',
    ...overrides,
  };
}

/**
 * Serves the incidents of the fixture Deployment and acknowledges them as
 * the backend does; returns the acknowledgements received.
 */
export function serveIncidents(server: SetupServer, incidents: Incident[]) {
  const acknowledged: string[] = [];
  server.use(
    astroHttp.get('/organizations/{org}/deployments/{dep}/incidents', () =>
      HttpResponse.json({ items: incidents }),
    ),
    astroHttp.post(
      '/organizations/{org}/deployments/{dep}/incidents/{incidentId}/acknowledge',
      ({ params }) => {
        acknowledged.push(params.incidentId);
        const incident = incidents.find(i => i.id === params.incidentId)!;
        Object.assign(incident, {
          acknowledgedAt: '2026-11-20T10:05:00Z',
          acknowledgedBy: 'user:default/alice',
        });
        return HttpResponse.json(incident);
      },
    ),
  );
  return acknowledged;
}
