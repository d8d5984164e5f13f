import { createConditionExports } from '@backstage/plugin-permission-node';
import {
  astroDeploymentPermissionResourceRef,
  astroOrganizationPermissionResourceRef,
  astroWorkspacePermissionResourceRef,
} from './resource';
import { astroPermissionRules } from './rules';

const organization = createConditionExports({
  resourceRef: astroOrganizationPermissionResourceRef,
  rules: astroPermissionRules.organization,
});
const workspace = createConditionExports({
  resourceRef: astroWorkspacePermissionResourceRef,
  rules: astroPermissionRules.workspace,
});
const deployment = createConditionExports({
  resourceRef: astroDeploymentPermissionResourceRef,
  rules: astroPermissionRules.deployment,
});

/**
 * Condition factories of the Organization rules, for permission policies.
 *
 * @public
 */
export const astroOrganizationConditions = organization.conditions;
/**
 * Wraps Organization conditions into a conditional policy decision.
 *
 * @public
 */
export const createAstroOrganizationConditionalDecision =
  organization.createConditionalDecision;

/**
 * Condition factories of the Workspace rules, for permission policies.
 *
 * @public
 */
export const astroWorkspaceConditions = workspace.conditions;
/**
 * Wraps Workspace conditions into a conditional policy decision.
 *
 * @public
 */
export const createAstroWorkspaceConditionalDecision =
  workspace.createConditionalDecision;

/**
 * Condition factories of the Deployment rules, for permission policies.
 *
 * @public
 */
export const astroDeploymentConditions = deployment.conditions;
/**
 * Wraps Deployment conditions into a conditional policy decision.
 *
 * @public
 */
export const createAstroDeploymentConditionalDecision =
  deployment.createConditionalDecision;
