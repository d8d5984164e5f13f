/*
 * The request bodies of the Astro API, named from its OpenAPI document.
 */
import type { AstroApiSchemas } from './schemas';

/** @public */
export type OrganizationCreateRequest = AstroApiSchemas['OrganizationCreate'];

/** @public */
export type OrganizationUpdateRequest = AstroApiSchemas['OrganizationUpdate'];

/** @public */
export type WorkspaceCreateRequest = AstroApiSchemas['WorkspaceCreate'];

/** @public */
export type WorkspaceUpdateRequest = AstroApiSchemas['WorkspaceUpdate'];

/**
 * How to reach a cluster registered through the API. The token is
 * write-only.
 *
 * @public
 */
export type ClusterConnectionRequest = AstroApiSchemas['ClusterConnection'];

/** @public */
export type ClusterCreateRequest = AstroApiSchemas['ClusterCreate'];

/** @public */
export type ClusterUpdateRequest = AstroApiSchemas['ClusterUpdate'];

/** @public */
export type DeploymentCreateRequest = AstroApiSchemas['DeploymentCreate'];

/**
 * A change to a Deployment. `settings` fields replace the current ones
 * (lists as a whole); omitted fields keep their values.
 *
 * @public
 */
export type DeploymentUpdateRequest = AstroApiSchemas['DeploymentUpdate'];

/**
 * The complete list of a Deployment's environment variables. A secret
 * variable without a value keeps its current value.
 *
 * @public
 */
export type VariablesUpdateRequest = AstroApiSchemas['VariablesUpdate'];

/**
 * Hibernates a Deployment, or keeps it awake, regardless of its schedules,
 * until `overrideUntil` (or until removed).
 *
 * @public
 */
export type HibernationOverrideRequest =
  AstroApiSchemas['HibernationOverrideRequest'];
