import {
  astroDeploymentReadPermission,
  astroDeploymentUpdatePermission,
  astroWorkspaceReadPermission,
  astroWorkspaceUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { Request } from 'express';
import { AlertRuleScope, scopeOfRule } from '../../service/AlertRuleService';
import { expectedVersion, sendResource } from '../http';
import { AstroApiRouter, RouteContext } from '../RouteContext';

/**
 * Routes of alert rules: listed and created on a workspace or a
 * Deployment, read and changed by id. Reading takes the read permission
 * of the rule's workspace or Deployment, changing it the update
 * permission; every change is audited.
 */
export function registerAlertRoutes(
  router: AstroApiRouter,
  context: RouteContext,
) {
  const { authorizer, audited, services } = context;
  const rules = services.alertRules;

  /** Authorizes an action on a scope: read or update of its resource. */
  const authorizeOn = (
    req: Request<any, any, any, any>,
    scope: AlertRuleScope,
    access: 'read' | 'update',
  ) =>
    scope.kind === 'workspace'
      ? authorizer.authorize(
          req,
          access === 'read'
            ? astroWorkspaceReadPermission
            : astroWorkspaceUpdatePermission,
          `${scope.organization}/${scope.workspace}`,
        )
      : authorizer.authorize(
          req,
          access === 'read'
            ? astroDeploymentReadPermission
            : astroDeploymentUpdatePermission,
          `${scope.organization}/${scope.deployment}`,
        );

  /** Authorizes an action on a rule by id: on its workspace or Deployment. */
  const authorizeOnRule = async (
    req: Request<{ org: string; rule: string }, any, any, any>,
    access: 'read' | 'update',
  ) => {
    // Existence first (a rule id is random): then the caller's access to
    // what the rule is on, which answers 404 when that is invisible.
    const record = await rules.getRecord(req.params.org, req.params.rule);
    return authorizeOn(req, scopeOfRule(record), access);
  };

  const workspaceScope = (p: { org: string; ws: string }): AlertRuleScope => ({
    kind: 'workspace',
    organization: p.org,
    workspace: p.ws,
  });
  const deploymentScope = (p: {
    org: string;
    dep: string;
  }): AlertRuleScope => ({
    kind: 'deployment',
    organization: p.org,
    deployment: p.dep,
  });

  router.get(
    '/organizations/:org/workspaces/:ws/alert-rules',
    async (req, res) => {
      const scope = workspaceScope(req.params);
      await authorizeOn(req, scope, 'read');
      res.json({ items: await rules.list(scope) });
    },
  );

  router.post(
    '/organizations/:org/workspaces/:ws/alert-rules',
    async (req, res) => {
      const scope = workspaceScope(req.params);
      const { actor } = await authorizeOn(req, scope, 'update');
      const result = await context.create(
        req,
        actor,
        {
          eventId: 'alert-rule-create',
          meta: { organization: req.params.org, workspace: req.params.ws },
        },
        () => rules.create(actor, scope, req.body),
      );
      res.status(result.status).json(result.body);
    },
  );

  router.get(
    '/organizations/:org/deployments/:dep/alert-rules',
    async (req, res) => {
      const scope = deploymentScope(req.params);
      await authorizeOn(req, scope, 'read');
      res.json({ items: await rules.list(scope) });
    },
  );

  router.post(
    '/organizations/:org/deployments/:dep/alert-rules',
    async (req, res) => {
      const scope = deploymentScope(req.params);
      const { actor } = await authorizeOn(req, scope, 'update');
      const result = await context.create(
        req,
        actor,
        {
          eventId: 'alert-rule-create',
          meta: { organization: req.params.org, deployment: req.params.dep },
        },
        () => rules.create(actor, scope, req.body),
      );
      res.status(result.status).json(result.body);
    },
  );

  router.get('/organizations/:org/alert-rules/:rule', async (req, res) => {
    await authorizeOnRule(req, 'read');
    sendResource(res, 200, await rules.get(req.params.org, req.params.rule));
  });

  router.patch('/organizations/:org/alert-rules/:rule', async (req, res) => {
    const { actor } = await authorizeOnRule(req, 'update');
    const version = expectedVersion(req, req.body.version);
    const rule = await audited(
      req,
      'alert-rule-update',
      { organization: req.params.org, rule: req.params.rule },
      () =>
        rules.update(actor, req.params.org, req.params.rule, req.body, version),
    );
    sendResource(res, 200, rule);
  });

  router.delete('/organizations/:org/alert-rules/:rule', async (req, res) => {
    const { actor } = await authorizeOnRule(req, 'update');
    await audited(
      req,
      'alert-rule-delete',
      { organization: req.params.org, rule: req.params.rule },
      () => rules.delete(actor, req.params.org, req.params.rule),
    );
    res.status(204).end();
  });

  router.get(
    '/organizations/:org/alert-rules/:rule/deliveries',
    async (req, res) => {
      await authorizeOnRule(req, 'read');
      res.json({
        items: await rules.deliveries(
          req.params.org,
          req.params.rule,
          Number(req.query.limit ?? 50),
        ),
      });
    },
  );
}
