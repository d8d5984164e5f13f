import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  astroDeploymentTokensManagePermission,
  astroWorkspaceTokensManagePermission,
  WORKSPACE_ROLES,
  WorkspaceRole,
} from '@airflow-portal/plugin-astro-common';
import { CallerRoles } from '../../permissions/CallerRoles';
import { Response } from 'express';
import { AstroApiRouter, RouteContext } from '../RouteContext';
import { ReplayableResponse } from '../idempotency';
import { ApiTokenWithValue } from '../../tokens/ApiTokenService';

/**
 * A token's value is shown once and never stored: a retried create is
 * refused with the id of the token it made, which can be rotated for a new
 * value.
 */
const tokenIdempotency = {
  redact: ({ value: _value, ...token }: ApiTokenWithValue) => token,
  replay: (stored: ReplayableResponse<ApiTokenWithValue>): never => {
    throw new ConflictError(
      `Idempotency-Key: API token ${stored.body.id} was already created with this key; its value is shown only once — rotate the token for a new value`,
    );
  },
};

/**
 * Sends a token with its value. The typed router cannot type responses of
 * an `allOf` schema (ApiTokenWithValue), so these go through Express's own
 * response type; the body is the service's typed result.
 */
function sendWithValue(res: Response, status: number, body: ApiTokenWithValue) {
  res.status(status).json(body);
}

/**
 * Routes of API tokens. Managing a Deployment's tokens takes
 * `astro.deployment.tokens.manage` on it; a workspace's,
 * `astro.workspace.tokens.manage` on it, and a workspace token never gets
 * (or keeps, when rotated) a role above its creator's on the workspace.
 */
export function registerTokenRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, create, code, callerRoles } = context;
  const workspaceRef = (req: { params: { org: string; ws: string } }) =>
    `${req.params.org}/${req.params.ws}`;

  /** Refuses a token role above the caller's own role on the workspace. */
  async function assertRoleWithinCallers(
    credentials: Parameters<CallerRoles['workspaceRole']>[0],
    req: { params: { org: string; ws: string } },
    role: WorkspaceRole,
  ) {
    const held = await callerRoles.workspaceRole(
      credentials,
      req.params.org,
      req.params.ws,
    );
    if (!CallerRoles.covers(held, role)) {
      throw new NotAllowedError(
        `role: an API token never exceeds its creator's role; you hold ${
          held ?? 'no role'
        } on workspace ${workspaceRef(
          req,
        )}, so you cannot issue a ${role} token`,
      );
    }
  }
  const deploymentRef = (req: { params: { org: string; dep: string } }) =>
    `${req.params.org}/${req.params.dep}`;

  router.get(
    '/organizations/:org/deployments/:dep/tokens',
    async (req, res) => {
      await authorizer.authorize(
        req,
        astroDeploymentTokensManagePermission,
        deploymentRef(req),
      );
      res.json({
        items: await code.tokens.listForDeployment(
          req.params.org,
          req.params.dep,
        ),
      });
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/tokens',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentTokensManagePermission,
        deploymentRef(req),
      );
      const response = await create(
        req,
        actor,
        {
          eventId: 'api-token-create',
          meta: {
            organization: req.params.org,
            deployment: req.params.dep,
            name: req.body.name,
          },
          severityLevel: 'high',
        },
        () =>
          code.tokens.createForDeployment(
            actor,
            req.params.org,
            req.params.dep,
            req.body,
          ),
        tokenIdempotency,
      );
      sendWithValue(res, response.status, response.body);
    },
  );

  router.delete(
    '/organizations/:org/deployments/:dep/tokens/:token',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentTokensManagePermission,
        deploymentRef(req),
      );
      res.json(
        await audited(
          req,
          'api-token-revoke',
          {
            organization: req.params.org,
            deployment: req.params.dep,
            tokenId: req.params.token,
          },
          () =>
            code.tokens.revokeForDeployment(
              actor,
              req.params.org,
              req.params.dep,
              req.params.token,
            ),
          'high',
        ),
      );
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/tokens/:token/rotate',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroDeploymentTokensManagePermission,
        deploymentRef(req),
      );
      sendWithValue(
        res,
        200,
        await audited(
          req,
          'api-token-rotate',
          {
            organization: req.params.org,
            deployment: req.params.dep,
            tokenId: req.params.token,
          },
          () =>
            code.tokens.rotateForDeployment(
              actor,
              req.params.org,
              req.params.dep,
              req.params.token,
            ),
          'high',
        ),
      );
    },
  );

  router.get('/organizations/:org/workspaces/:ws/tokens', async (req, res) => {
    await authorizer.authorize(
      req,
      astroWorkspaceTokensManagePermission,
      workspaceRef(req),
    );
    res.json({
      items: await code.tokens.listForWorkspace(req.params.org, req.params.ws),
    });
  });

  router.post('/organizations/:org/workspaces/:ws/tokens', async (req, res) => {
    const { actor, credentials } = await authorizer.authorize(
      req,
      astroWorkspaceTokensManagePermission,
      workspaceRef(req),
    );
    // A role that is not a workspace role is refused by the service (400).
    if ((WORKSPACE_ROLES as readonly string[]).includes(req.body.role ?? '')) {
      await assertRoleWithinCallers(
        credentials,
        req,
        req.body.role as WorkspaceRole,
      );
    }
    const response = await create(
      req,
      actor,
      {
        eventId: 'api-token-create',
        meta: {
          organization: req.params.org,
          workspace: req.params.ws,
          name: req.body.name,
        },
        severityLevel: 'high',
      },
      () =>
        code.tokens.createForWorkspace(
          actor,
          req.params.org,
          req.params.ws,
          req.body,
        ),
      tokenIdempotency,
    );
    sendWithValue(res, response.status, response.body);
  });

  router.delete(
    '/organizations/:org/workspaces/:ws/tokens/:token',
    async (req, res) => {
      const { actor } = await authorizer.authorize(
        req,
        astroWorkspaceTokensManagePermission,
        workspaceRef(req),
      );
      res.json(
        await audited(
          req,
          'api-token-revoke',
          {
            organization: req.params.org,
            workspace: req.params.ws,
            tokenId: req.params.token,
          },
          () =>
            code.tokens.revokeForWorkspace(
              actor,
              req.params.org,
              req.params.ws,
              req.params.token,
            ),
          'high',
        ),
      );
    },
  );

  router.post(
    '/organizations/:org/workspaces/:ws/tokens/:token/rotate',
    async (req, res) => {
      const { actor, credentials } = await authorizer.authorize(
        req,
        astroWorkspaceTokensManagePermission,
        workspaceRef(req),
      );
      const token = await code.tokens.getForWorkspace(
        req.params.org,
        req.params.ws,
        req.params.token,
      );
      await assertRoleWithinCallers(
        credentials,
        req,
        token.role as WorkspaceRole,
      );
      sendWithValue(
        res,
        200,
        await audited(
          req,
          'api-token-rotate',
          {
            organization: req.params.org,
            workspace: req.params.ws,
            tokenId: req.params.token,
          },
          () =>
            code.tokens.rotateForWorkspace(
              actor,
              req.params.org,
              req.params.ws,
              req.params.token,
            ),
          'high',
        ),
      );
    },
  );
}
