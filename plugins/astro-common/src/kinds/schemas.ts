/**
 * JSON schemas (draft-07) of the Astro entity kinds, in the form Backstage's
 * own kinds use: `allOf` the base `Entity` schema and the kind's envelope,
 * with `apiVersion` and `kind` as enums so that a validator built with
 * `entityKindSchemaValidator` ignores other kinds.
 */

import { DEPLOYMENT_STATUSES } from '../api/resources';
import { getContractJsonSchemas, JsonSchema } from '../contract/jsonSchemas';
import { LIMITS } from '../limits';
import { ASTRO_ENTITY_API_VERSION } from './constants';

/**
 * A JSON schema of an Astro entity kind.
 *
 * @public
 */
export type AstroEntityJsonSchema = {
  readonly $schema: string;
  readonly $id: string;
  readonly description: string;
  readonly [key: string]: unknown;
};

const NAME = {
  type: 'string',
  description: `A lowercase DNS-1123 label of at most ${LIMITS.resourceNameLength} characters, as the Astro API names resources.`,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  maxLength: LIMITS.resourceNameLength,
} as const;

const stringRef = (description: string, examples: string[]) =>
  ({ type: 'string', description, examples, minLength: 1 } as const);

const OWNER = stringRef(
  'Entity ref of the owning Group (or User). A ref without namespace resolves in the `default` namespace.',
  ['data-engineering', 'group:default/data-engineering'],
);

const ORGANIZATION = stringRef(
  'Ref of the AstroOrganization. Kind defaults to AstroOrganization; a ref without namespace resolves in the namespace named after the organization (`acme` is `astroorganization:acme/acme`).',
  ['acme', 'astroorganization:acme/acme'],
);

function kindSchema(options: {
  kind: string;
  description: string;
  example: Record<string, unknown>;
  spec: Record<string, unknown>;
}): AstroEntityJsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema',
    $id: `${options.kind}V1alpha1`,
    description: options.description,
    examples: [options.example],
    allOf: [
      { $ref: 'Entity' },
      {
        type: 'object',
        required: ['spec'],
        properties: {
          apiVersion: { enum: [ASTRO_ENTITY_API_VERSION] },
          kind: { enum: [options.kind] },
          spec: options.spec,
        },
      },
    ],
  };
}

/**
 * Schema of `AstroOrganization` entities.
 *
 * @public
 */
export const astroOrganizationEntitySchema = kindSchema({
  kind: 'AstroOrganization',
  description:
    'An organization of the Airflow platform: the top of the hierarchy, containing workspaces.',
  example: {
    apiVersion: ASTRO_ENTITY_API_VERSION,
    kind: 'AstroOrganization',
    metadata: { name: 'acme', namespace: 'acme', title: 'ACME' },
    spec: { owner: 'group:default/data-platform' },
  },
  spec: {
    type: 'object',
    properties: { owner: OWNER },
  },
});

/**
 * Schema of `AstroWorkspace` entities.
 *
 * @public
 */
export const astroWorkspaceEntitySchema = kindSchema({
  kind: 'AstroWorkspace',
  description:
    "A workspace of an organization: a team's group of Airflow Deployments.",
  example: {
    apiVersion: ASTRO_ENTITY_API_VERSION,
    kind: 'AstroWorkspace',
    metadata: { name: 'data-eng', namespace: 'acme' },
    spec: {
      organization: 'astroorganization:acme/acme',
      owner: 'group:default/data-engineering',
    },
  },
  spec: {
    type: 'object',
    required: ['organization'],
    properties: {
      organization: ORGANIZATION,
      owner: OWNER,
      clusterGrants: {
        type: 'array',
        description:
          'Names of the dedicated clusters of the organization this workspace may deploy to.',
        items: NAME,
      },
    },
  },
});

/** Fields of a Deployment's settings that its entity carries. */
const SETTINGS_SUMMARY = [
  'airflowVersion',
  'executor',
  'schedulerSize',
  'highAvailability',
  'workerQueues',
] as const;

/** A contract schema with its references inlined and `example` dropped. */
function inlined(schema: unknown, schemas: Record<string, JsonSchema>): any {
  if (Array.isArray(schema)) {
    return schema.map(item => inlined(item, schemas));
  }
  if (!schema || typeof schema !== 'object') {
    return schema;
  }
  const { $ref, example, ...rest } = schema as JsonSchema;
  if (typeof $ref === 'string') {
    return inlined(
      { ...schemas[$ref.replace('#/components/schemas/', '')], ...rest },
      schemas,
    );
  }
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, inlined(value, schemas)]),
  );
}

/**
 * The settings summary of an AstroDeployment entity: the fields of
 * {@link SETTINGS_SUMMARY} exactly as the API's `DeploymentSettings`
 * defines them (types, enums, limits), derived from the same zod schema.
 */
function deploymentSettingsSummarySchema() {
  const schemas = getContractJsonSchemas();
  const settings = schemas.DeploymentSettings as {
    properties: Record<string, JsonSchema>;
  };
  return {
    type: 'object',
    description: 'Summary of the settings.',
    required: ['airflowVersion', 'executor', 'schedulerSize', 'workerQueues'],
    properties: Object.fromEntries(
      SETTINGS_SUMMARY.map(key => [
        key,
        inlined(settings.properties[key], schemas),
      ]),
    ),
  };
}

/**
 * Schema of `AstroDeployment` entities.
 *
 * @public
 */
export const astroDeploymentEntitySchema = kindSchema({
  kind: 'AstroDeployment',
  description:
    'An Airflow Deployment: one Apache Airflow environment running on a cluster. Carries a summary of its settings and its status, never environment variables.',
  example: {
    apiVersion: ASTRO_ENTITY_API_VERSION,
    kind: 'AstroDeployment',
    metadata: {
      name: 'prod-etl',
      namespace: 'acme',
      annotations: {
        'backstage.io/kubernetes-id': 'astro-prod-etl-1a2b3c',
        'backstage.io/kubernetes-namespace': 'astro-prod-etl-1a2b3c',
      },
    },
    spec: {
      organization: 'astroorganization:acme/acme',
      workspace: 'astroworkspace:acme/data-eng',
      cluster: 'astrocluster:default/simulator',
      owner: 'group:default/data-engineering',
      namespace: 'astro-prod-etl-1a2b3c',
      settings: {
        airflowVersion: '3.1.3',
        executor: 'CELERY',
        schedulerSize: 'SMALL',
        highAvailability: false,
        workerQueues: [
          {
            name: 'default',
            isDefault: true,
            workerSize: 'A5',
            minWorkers: 0,
            maxWorkers: 10,
            concurrency: 5,
          },
        ],
      },
      status: { state: 'HEALTHY', since: '2026-11-26T10:05:00.000Z' },
    },
  },
  spec: {
    type: 'object',
    required: ['organization', 'workspace', 'cluster', 'namespace', 'settings'],
    properties: {
      organization: ORGANIZATION,
      workspace: stringRef(
        'Ref of the AstroWorkspace it belongs to. Kind and namespace default to AstroWorkspace and the namespace of this entity.',
        ['data-eng', 'astroworkspace:acme/data-eng'],
      ),
      cluster: stringRef(
        'Ref of the AstroCluster it runs on. Kind and namespace default to AstroCluster and `default`.',
        ['simulator', 'astrocluster:default/simulator'],
      ),
      owner: OWNER,
      namespace: {
        type: 'string',
        description: 'The Kubernetes namespace the Deployment runs in.',
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        maxLength: 63,
      },
      airflowUrl: {
        type: 'string',
        description: 'URL of the Airflow UI.',
        minLength: 1,
      },
      settings: deploymentSettingsSummarySchema(),
      status: {
        type: 'object',
        description: 'Status as last projected from the Astro API.',
        required: ['state'],
        properties: {
          state: { enum: [...DEPLOYMENT_STATUSES] },
          reason: { type: 'string', description: 'Why it has this state.' },
          since: {
            type: 'string',
            description: 'When the state last changed (ISO 8601).',
          },
        },
      },
    },
  },
});

/**
 * Schema of `AstroCluster` entities.
 *
 * @public
 */
export const astroClusterEntitySchema = kindSchema({
  kind: 'AstroCluster',
  description:
    'A Kubernetes cluster Airflow Deployments run on: shared by organizations (standard) or dedicated to one.',
  example: {
    apiVersion: ASTRO_ENTITY_API_VERSION,
    kind: 'AstroCluster',
    metadata: { name: 'simulator', namespace: 'default' },
    spec: { type: 'standard', provider: 'simulator', region: 'local' },
  },
  spec: {
    type: 'object',
    required: ['type', 'provider', 'region'],
    properties: {
      type: { enum: ['standard', 'dedicated'] },
      provider: {
        type: 'string',
        description: 'Cloud or platform.',
        minLength: 1,
      },
      region: { type: 'string', description: 'Region.', minLength: 1 },
      organization: ORGANIZATION,
      owner: OWNER,
    },
  },
});
