import { BackstageUserPrincipal } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AirflowRole,
  astroDeploymentDeployPermission,
  astroDeploymentReadPermission,
  astroDeploymentUpdatePermission,
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
   * The caller (a portal user only), the Deployment and the Airflow role
   * its portal role gives: ADMIN with `astro.deployment.update` on it
   * (operators, Deployment admins, owners), USER with
   * `astro.deployment.deploy` (authors: trigger, clear, pause), else VIEWER
   * with `astro.deployment.read`; 404 without that.
   */
  async function authorizeUser(
    req: Request<{ org: string; dep: string }, any, any, any>,
  ): Promise<{ actor: string; record: DeploymentRecord; role: AirflowRole }> {
    const ref = `${req.params.org}/${req.params.dep}`;
    const { credentials, actor } = await authorizer.authorize(
      req,
      astroDeploymentReadPermission,
      ref,
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
    const [mayUpdate, mayDeploy] = await authorizer.decideAll(
      credentials,
      [astroDeploymentUpdatePermission, astroDeploymentDeployPermission],
      ref,
    );
    let role: AirflowRole = 'VIEWER';
    if (mayUpdate) {
      role = 'ADMIN';
    } else if (mayDeploy) {
      role = 'USER';
    }
    return {
      actor: (principal as BackstageUserPrincipal).userEntityRef ?? actor,
      record,
      role,
    };
  }

  /** Signs something for the authorized user, audited as `event`. */
  function signForUser<T>(
    req: Request<{ org: string; dep: string }, any, any, any>,
    event: string,
    sign: (
      actor: string,
      record: DeploymentRecord,
      role: AirflowRole,
    ) => Promise<T>,
  ): Promise<T> {
    const meta = { organization: req.params.org, deployment: req.params.dep };
    return audited(req, event, meta, async () => {
      const { actor, record, role } = await authorizeUser(req);
      return sign(actor, record, role);
    });
  }

  router.post(
    '/organizations/:org/deployments/:dep/airflow/sessions',
    async (req, res) => {
      const session = await signForUser(
        req,
        'airflow-session-create',
        (actor, record, role) =>
          airflowAccess.createSession(actor, record, role),
      );
      res.status(201).json(session);
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/airflow/tokens',
    async (req, res) => {
      const token = await signForUser(
        req,
        'airflow-token-create',
        (actor, record, role) => airflowAccess.createToken(actor, record, role),
      );
      res.status(201).json(token);
    },
  );
}
