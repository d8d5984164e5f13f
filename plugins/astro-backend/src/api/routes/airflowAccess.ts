import { BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AirflowRole,
  astroDeploymentUpdatePermission,
  astroReadPermission,
} from '@airflow-portal/plugin-astro-common';
import { Request } from 'express';
import { AstroApiRouter, RouteContext } from '../RouteContext';
import { DeploymentRecord } from '../../store';

/**
 * Routes that let a portal user into a Deployment's Airflow: a login
 * ticket for the UI and an Airflow REST API token, both signed with the
 * caller's identity and the role their permissions give them. Values are
 * answered once and recorded nowhere.
 */
export function registerAirflowAccessRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, services, airflowAccess } = context;

  /**
   * The caller (a portal user only), the Deployment and the Airflow role:
   * ADMIN with `astro.deployment.update` on it, else VIEWER with
   * `astro.read`, else 403.
   */
  async function authorizeUser(
    req: Request<{ org: string; dep: string }, any, any, any>,
  ): Promise<{ actor: string; record: DeploymentRecord; role: AirflowRole }> {
    const { credentials, actor } = await authorizer.authorize(
      req,
      astroReadPermission,
    );
    const principal = credentials.principal as
      | BackstageUserPrincipal
      | { type: string };
    if (principal.type !== 'user') {
      throw new NotAllowedError(
        `Airflow sign-in is for portal users; a ${principal.type} principal cannot get an Airflow session or token (the backend uses its own service credential)`,
      );
    }
    const record = await services.deployments.getRecord(
      req.params.org,
      req.params.dep,
    );
    const mayUpdate = await authorizer.allows(
      credentials,
      astroDeploymentUpdatePermission,
      `${req.params.org}/${req.params.dep}`,
    );
    return {
      actor: (principal as BackstageUserPrincipal).userEntityRef ?? actor,
      record,
      role: mayUpdate ? 'ADMIN' : 'VIEWER',
    };
  }

  router.post(
    '/organizations/:org/deployments/:dep/airflow/sessions',
    async (req, res) => {
      const meta = {
        organization: req.params.org,
        deployment: req.params.dep,
      };
      const session = await audited(
        req,
        'airflow-session-create',
        meta,
        async () => {
          const { actor, record, role } = await authorizeUser(req);
          return airflowAccess.createSession(actor, record, role);
        },
      );
      res.status(201).json(session);
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/airflow/tokens',
    async (req, res) => {
      const meta = {
        organization: req.params.org,
        deployment: req.params.dep,
      };
      const token = await audited(
        req,
        'airflow-token-create',
        meta,
        async () => {
          const { actor, record, role } = await authorizeUser(req);
          return airflowAccess.createToken(actor, record, role);
        },
      );
      res.status(201).json(token);
    },
  );
}
