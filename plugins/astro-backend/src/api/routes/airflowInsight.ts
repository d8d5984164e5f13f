import {
  astroDeploymentReadPermission,
  astroDeploymentUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import type { Request } from 'express';
import { AstroApiRouter, RouteContext } from '../RouteContext';

/**
 * Airflow insight of a Deployment (read with `astro.deployment.read`) and
 * the Airflow actions Astro offers (with `astro.deployment.update`,
 * audited): pause/unpause a DAG, trigger a run, clear a failed run.
 */
export function registerAirflowInsightRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, airflowInsight } = context;
  const base = '/organizations/:org/deployments/:dep/airflow';

  const read = async (
    req: Request<{ org: string; dep: string }, any, any, any>,
  ) => {
    await authorizer.authorize(
      req,
      astroDeploymentReadPermission,
      `${req.params.org}/${req.params.dep}`,
    );
  };

  router.get(`${base}/dags`, async (req, res) => {
    await read(req);
    res.json(await airflowInsight.dags(req.params.org, req.params.dep));
  });

  router.get(`${base}/runs/summary`, async (req, res) => {
    await read(req);
    res.json(await airflowInsight.runSummary(req.params.org, req.params.dep));
  });

  router.get(`${base}/import-errors`, async (req, res) => {
    await read(req);
    res.json(await airflowInsight.importErrors(req.params.org, req.params.dep));
  });

  router.get(`${base}/pools`, async (req, res) => {
    await read(req);
    res.json(await airflowInsight.pools(req.params.org, req.params.dep));
  });

  router.get(`${base}/heartbeats`, async (req, res) => {
    await read(req);
    res.json(await airflowInsight.heartbeats(req.params.org, req.params.dep));
  });

  router.patch(`${base}/dags/:dagId`, async (req, res) => {
    const { org, dep, dagId } = req.params;
    const dag = await audited(
      req,
      'airflow-dag-update',
      { organization: org, deployment: dep, dagId },
      async () => {
        const { actor } = await authorizer.authorize(
          req,
          astroDeploymentUpdatePermission,
          `${org}/${dep}`,
        );
        return airflowInsight.setPaused(
          org,
          dep,
          dagId,
          req.body.isPaused,
          actor,
        );
      },
    );
    res.json(dag);
  });

  router.post(`${base}/dags/:dagId/runs`, async (req, res) => {
    const { org, dep, dagId } = req.params;
    const run = await audited(
      req,
      'airflow-dag-run-trigger',
      { organization: org, deployment: dep, dagId },
      async () => {
        const { actor } = await authorizer.authorize(
          req,
          astroDeploymentUpdatePermission,
          `${org}/${dep}`,
        );
        const body = req.body ?? {};
        return airflowInsight.trigger(
          org,
          dep,
          dagId,
          {
            ...(body.conf ? { conf: body.conf } : {}),
            ...(body.logicalDate ? { logicalDate: body.logicalDate } : {}),
          },
          actor,
        );
      },
    );
    res.status(201).json(run);
  });

  router.post(`${base}/dags/:dagId/runs/:runId/clear`, async (req, res) => {
    const { org, dep, dagId, runId } = req.params;
    const run = await audited(
      req,
      'airflow-dag-run-clear',
      { organization: org, deployment: dep, dagId, runId },
      async () => {
        const { actor } = await authorizer.authorize(
          req,
          astroDeploymentUpdatePermission,
          `${org}/${dep}`,
        );
        return airflowInsight.clearFailedRun(org, dep, dagId, runId, actor);
      },
    );
    res.json(run);
  });
}
