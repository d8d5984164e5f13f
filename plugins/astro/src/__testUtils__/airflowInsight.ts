import type { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import type { SetupServer } from 'msw/node';
import { astroHttp, HttpResponse } from './testApp';

/** When the fixtures say the backend read Airflow. */
export const FETCHED = '2026-12-02T10:15:03Z';

/** A DAG of the fixture Deployment's Airflow. */
export function dag(
  overrides: Partial<AstroApiSchemas['AirflowDag']> = {},
): AstroApiSchemas['AirflowDag'] {
  return {
    dagId: 'billing_daily',
    isPaused: false,
    schedule: '@daily',
    owners: ['data-team'],
    tags: ['billing'],
    lastParsedAt: '2026-12-02T10:15:00Z',
    lastRunState: 'failed',
    runs24h: { queued: 0, running: 0, success: 3, failed: 1 },
    ...overrides,
  };
}

/** Serves the insight of the fixture Deployment; records the actions. */
export function serveInsight(server: SetupServer) {
  const actions: Array<{ what: string; body: unknown }> = [];
  let paused = false;
  server.use(
    astroHttp.get('/organizations/{org}/deployments/{dep}/airflow/dags', () =>
      HttpResponse.json({
        items: [
          dag({ isPaused: paused }),
          dag({
            dagId: 'ingest',
            tags: [],
            lastRunState: null,
            schedule: null,
          }),
        ],
        airflowApi: 'v2',
        fetchedAt: FETCHED,
      }),
    ),
    astroHttp.get(
      '/organizations/{org}/deployments/{dep}/airflow/import-errors',
      () =>
        HttpResponse.json({
          items: [
            {
              filename: 'broken.py',
              stackTrace: 'SyntaxError',
              timestamp: FETCHED,
            },
          ],
          fetchedAt: FETCHED,
        }),
    ),
    astroHttp.get(
      '/organizations/{org}/deployments/{dep}/airflow/heartbeats',
      () =>
        HttpResponse.json({
          metadatabase: 'healthy',
          scheduler: { status: 'healthy', latestHeartbeat: FETCHED },
          triggerer: { status: 'unhealthy', latestHeartbeat: null },
          dagProcessor: null,
          fetchedAt: FETCHED,
        }),
    ),
    astroHttp.get(
      '/organizations/{org}/deployments/{dep}/airflow/runs/summary',
      () =>
        HttpResponse.json({
          last24h: { queued: 0, running: 1, success: 3, failed: 1 },
          last7d: { queued: 0, running: 1, success: 20, failed: 2 },
          lastFailures: [
            {
              dagId: 'billing_daily',
              runId: 'scheduled__2026-12-02T00:00:00+00:00',
              state: 'failed',
              runType: 'scheduled',
              logicalDate: '2026-12-02T00:00:00Z',
              startDate: '2026-12-02T00:00:05Z',
              endDate: '2026-12-02T00:01:05Z',
              url: 'https://etl.example.com/dags/billing_daily/runs/scheduled__2026-12-02T00%3A00%3A00%2B00%3A00',
            },
          ],
          truncated: false,
          airflowApi: 'v2',
          fetchedAt: FETCHED,
        }),
    ),
    astroHttp.patch(
      '/organizations/{org}/deployments/{dep}/airflow/dags/{dagId}',
      async ({ request, params }) => {
        const body = await request.json();
        actions.push({ what: `patch ${params.dagId}`, body });
        paused = body.isPaused;
        return HttpResponse.json(dag({ isPaused: paused }));
      },
    ),
    astroHttp.post(
      '/organizations/{org}/deployments/{dep}/airflow/dags/{dagId}/runs',
      async ({ request, params }) => {
        actions.push({
          what: `trigger ${params.dagId}`,
          body: await request.json(),
        });
        return HttpResponse.json(
          {
            dagId: String(params.dagId),
            runId: 'manual__2026-12-02T10:20:00+00:00',
            state: 'queued',
            runType: 'manual',
            logicalDate: null,
            startDate: null,
            endDate: null,
            url: null,
          },
          { status: 201 },
        );
      },
    ),
  );
  return actions;
}
