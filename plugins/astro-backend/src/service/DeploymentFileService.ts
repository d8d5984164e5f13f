import { InputError } from '@backstage/errors';
import {
  Deployment,
  LIMITS,
  toValidationIssues,
  validateDeploymentSettings,
} from '@airflow-portal/plugin-astro-common';
import { NotFoundError } from '@backstage/errors';
import {
  Document,
  LineCounter,
  parseDocument,
  stringify as stringifyYaml,
} from 'yaml';
import { z } from 'zod';
import { Actor } from './actor';
import { DeploymentService } from './DeploymentService';
import { describeIssuesInFile } from './fileLines';

/** `apiVersion` of deployment files. */
export const DEPLOYMENT_FILE_API_VERSION = 'astro.airflow-portal.dev/v1alpha1';
/** `kind` of deployment files. */
export const DEPLOYMENT_FILE_KIND = 'AstroDeploymentFile';

const fileSchema = z.strictObject({
  apiVersion: z.literal(DEPLOYMENT_FILE_API_VERSION, {
    error: `must be ${DEPLOYMENT_FILE_API_VERSION}`,
  }),
  kind: z.literal(DEPLOYMENT_FILE_KIND, {
    error: `must be ${DEPLOYMENT_FILE_KIND}`,
  }),
  metadata: z.strictObject({
    name: z.string({ error: 'must be a string' }),
    workspace: z.string({ error: 'must be a string' }),
    title: z
      .string({ error: 'must be a string' })
      .max(LIMITS.titleLength)
      .optional(),
    description: z
      .string({ error: 'must be a string' })
      .max(LIMITS.descriptionLength)
      .optional(),
    owner: z
      .string({ error: 'must be a string' })
      .max(LIMITS.entityRefLength)
      .optional(),
  }),
  spec: z
    .strictObject({
      cluster: z.string({ error: 'must be a string' }).optional(),
      settings: z.record(z.string(), z.unknown()).optional(),
    })
    .default({}),
});

/** A parsed deployment file. */
export type DeploymentFile = z.infer<typeof fileSchema>;

/**
 * Deployments as code: a YAML file describing one Deployment, exported
 * without secret values and imported as a create or a full replacement of
 * its settings (secret variables without a value keep theirs).
 */
export class DeploymentFileService {
  constructor(private readonly deployments: DeploymentService) {}

  async export(organization: string, name: string): Promise<string> {
    const deployment = await this.deployments.get(organization, name);
    return stringifyYaml(DeploymentFileService.toFile(deployment));
  }

  static toFile(deployment: Deployment) {
    return {
      apiVersion: DEPLOYMENT_FILE_API_VERSION,
      kind: DEPLOYMENT_FILE_KIND,
      metadata: {
        name: deployment.name,
        workspace: deployment.workspace,
        title: deployment.title,
        description: deployment.description,
        ...(deployment.owner ? { owner: deployment.owner } : {}),
      },
      spec: {
        cluster: deployment.cluster,
        settings: deployment.settings,
      },
    };
  }

  /**
   * Parses and validates a deployment file, settings included, naming each
   * problem's path in the file and its line.
   */
  parse(content: string): DeploymentFile {
    const lines = new LineCounter();
    let document: Document.Parsed;
    let value: unknown;
    try {
      document = parseDocument(content, { lineCounter: lines });
      if (document.errors.length > 0) {
        throw document.errors[0];
      }
      value = document.toJS({ maxAliasCount: 10 });
    } catch (error) {
      throw new InputError(
        `file: is not valid YAML (${(error as Error).message})`,
      );
    }
    const parsed = fileSchema.safeParse(value);
    if (!parsed.success) {
      throw new InputError(
        describeIssuesInFile(
          toValidationIssues(parsed.error.issues, 'file'),
          document,
          lines,
          'file',
        ),
      );
    }
    const settings = validateDeploymentSettings(
      this.deployments.deploymentOptions,
      parsed.data.spec.settings,
      'file.spec.settings',
    );
    if (!settings.success) {
      throw new InputError(
        describeIssuesInFile(settings.issues, document, lines, 'file'),
      );
    }
    return parsed.data;
  }

  /** Creates the Deployment a file describes, or replaces its settings. */
  async apply(
    actor: Actor,
    organization: string,
    file: DeploymentFile,
    options: {
      /** Check and build the result, then roll back (for a preview). */
      dryRun?: boolean;
    } = {},
  ): Promise<{ deployment: Deployment; created: boolean }> {
    const { metadata, spec } = file;
    const existing = await this.deployments
      .get(organization, metadata.name)
      .catch(error => {
        if (error instanceof NotFoundError) {
          return undefined;
        }
        throw error;
      });
    if (!existing) {
      const deployment = await this.deployments.create(
        actor,
        organization,
        {
          name: metadata.name,
          workspace: metadata.workspace,
          cluster: spec.cluster,
          title: metadata.title,
          description: metadata.description,
          owner: metadata.owner,
          settings: spec.settings,
        },
        options,
      );
      return { deployment, created: true };
    }
    if (existing.workspace !== metadata.workspace) {
      throw new InputError(
        `file.metadata.workspace: deployment "${existing.name}" is in workspace "${existing.workspace}"; moving it is not supported`,
      );
    }
    if (spec.cluster && spec.cluster !== existing.cluster) {
      throw new InputError(
        `file.spec.cluster: deployment "${existing.name}" runs on cluster "${existing.cluster}"; moving it is not supported`,
      );
    }
    const deployment = await this.deployments.update(
      actor,
      organization,
      metadata.name,
      {
        title: metadata.title ?? existing.name,
        description: metadata.description ?? '',
        owner: metadata.owner ?? null,
        settings: spec.settings,
      },
      { replaceSettings: true, dryRun: options.dryRun },
    );
    return { deployment, created: false };
  }
}
