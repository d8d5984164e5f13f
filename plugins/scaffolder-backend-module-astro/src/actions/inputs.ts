import type { z as zod } from 'zod/v3';
import {
  contractSchemaForZodV3,
  DEPLOYMENT_STATUSES,
  DeploymentSettingsInput,
  describeInvalidDeploymentName,
  describeInvalidName,
} from '@airflow-portal/plugin-astro-common';

/*
 * Action inputs derived from the Astro API's contract (the zod schemas of
 * astro-common, as in the OpenAPI document), rebuilt with the zod 3 the
 * scaffolder takes: the same types, enums and limits as the API.
 */

type Zod = typeof zod;

/** A resource name: a lowercase DNS-1123 label of the API's length. */
export const resourceName = (
  z: Zod,
  description: string,
  check: (value: string) => string | undefined = describeInvalidName,
) =>
  contractSchemaForZodV3<string>(z, 'ResourceName')
    .describe(description)
    .superRefine((value, ctx) => {
      const problem = check(value);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
      }
    });

export const organizationInput = (z: Zod) =>
  resourceName(z, 'Name of the organization.');

export const deploymentInput = (z: Zod) =>
  resourceName(z, 'Name of the Deployment.', describeInvalidDeploymentName);

export const titleInput = (z: Zod) =>
  contractSchemaForZodV3<string>(z, 'Title').describe('Display name.');

export const descriptionInput = (z: Zod) =>
  contractSchemaForZodV3<string>(z, 'Description').describe(
    'Free text shown in the portal.',
  );

export const ownerInput = (z: Zod) =>
  contractSchemaForZodV3<string>(z, 'OwnerRef').describe(
    'Entity ref of the owning group, e.g. group:default/data-engineering.',
  );

/**
 * Deployment settings as the Astro API takes them (`DeploymentSettingsInput`
 * of its OpenAPI document); every field is optional and takes its default.
 * Ranges and choices that config decides are checked against the backend's
 * `/deployment-options`.
 */
export const settingsInput = (z: Zod) =>
  contractSchemaForZodV3<DeploymentSettingsInput>(
    z,
    'DeploymentSettingsInput',
  ).describe('Deployment settings; omitted fields take their defaults.');

export const statusInput = (z: Zod) => z.enum(DEPLOYMENT_STATUSES);

/**
 * Values of secret environment variables by key, for settings whose secret
 * variables come without a value: a template passes them from its secrets
 * (`${{ secrets.x }}`), so they never appear in the task's parameters.
 * Template secrets are strings, so the object may come as its JSON text.
 */
export const secretVariablesInput = (z: Zod) =>
  z
    .union([z.record(z.string(), z.string()), z.string()])
    .describe(
      "Values of the settings' secret environment variables by key (an object or its JSON text), from the template's secrets; never logged or output.",
    );
