import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import {
  contractSchemaForZodV3,
  DeploymentSettingsInput,
} from '@airflow-portal/plugin-astro-common';

/**
 * The value of {@link AstroWorkspacePicker}: the organization and the
 * workspace, so a template reads `parameters.workspace.organization` and
 * `parameters.workspace.workspace`.
 */
export const AstroWorkspacePickerFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      organization: z.string().describe('Name of the organization'),
      workspace: z.string().describe('Name of the workspace'),
      label: z
        .string()
        .optional()
        .describe(
          '"Organization / Workspace" as the picker shows it, for the review step',
        ),
    }),
  uiOptions: z =>
    z.object({
      organization: z
        .string()
        .optional()
        .describe('Offer only the workspaces of this organization'),
    }),
});

/** The value of {@link AstroDeploymentNamePicker}: a Deployment name. */
export const AstroDeploymentNamePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      workspaceField: z
        .string()
        .optional()
        .describe(
          'The form field holding the AstroWorkspacePicker value; `workspace` by default',
        ),
    }),
});

/**
 * The value of {@link AstroDeploymentSettingsPicker}: `settings` as
 * `astro:deployment:create` takes them (the API's `DeploymentSettingsInput`,
 * derived from its contract; secret variables without their values, which
 * are in the template's secrets), `review`, the lines the review step shows,
 * and `secretKeysWithValue`.
 */
export const AstroDeploymentSettingsPickerFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      settings: contractSchemaForZodV3<DeploymentSettingsInput>(
        z,
        'DeploymentSettingsInput',
      ),
      review: z
        .array(z.string())
        .describe(
          'The settings as "Label: value" lines in the words of the create form, for the review step',
        ),
      secretKeysWithValue: z
        .array(z.string())
        .describe("Secret variables whose value is in the template's secrets"),
    }),
});

/** Props of the workspace picker component. */
export type AstroWorkspacePickerProps =
  typeof AstroWorkspacePickerFieldSchema.TProps;
/** Props of the name picker component. */
export type AstroDeploymentNamePickerProps =
  typeof AstroDeploymentNamePickerFieldSchema.TProps;
/** Props of the settings picker component. */
export type AstroDeploymentSettingsPickerProps =
  typeof AstroDeploymentSettingsPickerFieldSchema.TProps;
/** The settings picker's value. */
export type AstroDeploymentSettingsValue =
  typeof AstroDeploymentSettingsPickerFieldSchema.TOutput;
