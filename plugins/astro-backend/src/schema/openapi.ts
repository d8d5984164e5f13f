/*
 * The OpenAPI 3.1 description of the Astro API: the single source of truth
 * for its routes and shapes. The router is typed from it and validates
 * requests against it (unknown fields, types); semantic rules whose limits
 * come from config (ranges, versions, defaults) are checked afterwards with
 * the shared settings schema of @airflow-portal/plugin-astro-common. The
 * running plugin serves this document at /api/astro/openapi.json.
 */

const NAME = {
  type: 'string',
  description:
    'Immutable name: a lowercase DNS-1123 label (letters, digits, "-"), unique in its parent.',
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  minLength: 1,
  maxLength: 40,
  example: 'data-eng',
} as const;

const TITLE = {
  type: 'string',
  description: 'Display name; defaults to the name.',
  minLength: 1,
  maxLength: 200,
  example: 'Data Engineering',
} as const;

const DESCRIPTION = {
  type: 'string',
  description: 'Free text shown in the portal.',
  maxLength: 2000,
  example: 'Ingestion pipelines of the data engineering team',
} as const;

const VERSION_INPUT = {
  type: 'integer',
  description:
    'The version you read. When it is stale the change is rejected with 409 instead of overwriting a newer change. Alternatively send it in an If-Match header.',
  minimum: 1,
  example: 3,
} as const;

const OWNER = {
  type: 'string',
  description: 'Entity ref of the owning Backstage group.',
  minLength: 1,
  maxLength: 200,
  pattern: '^\\S+$',
  example: 'group:default/data-engineering',
} as const;

const METADATA_PROPERTIES = {
  name: NAME,
  title: TITLE,
  description: DESCRIPTION,
  createdAt: {
    type: 'string',
    format: 'date-time',
    description: 'When it was created.',
    example: '2026-11-26T10:00:00.000Z',
  },
  createdBy: {
    type: 'string',
    description: 'Who created it: a user entity ref or service:<name>.',
    example: 'user:default/guest',
  },
  updatedAt: {
    type: 'string',
    format: 'date-time',
    description: 'When it was last changed.',
    example: '2026-11-26T10:05:00.000Z',
  },
  updatedBy: {
    type: 'string',
    description: 'Who changed it last.',
    example: 'user:default/guest',
  },
  version: {
    type: 'integer',
    description:
      'Increases with every change; send it back with an update to detect concurrent changes.',
    example: 2,
  },
} as const;

const METADATA_REQUIRED = [
  'name',
  'title',
  'description',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'version',
] as const;

const ORG_PARAM = {
  name: 'org',
  in: 'path',
  required: true,
  description: 'Organization name.',
  schema: NAME,
  example: 'acme',
} as const;

const WS_PARAM = {
  name: 'ws',
  in: 'path',
  required: true,
  description: 'Workspace name.',
  schema: NAME,
  example: 'data-eng',
} as const;

const CLUSTER_PARAM = {
  name: 'cluster',
  in: 'path',
  required: true,
  description: 'Cluster name.',
  schema: NAME,
  example: 'simulator',
} as const;

const DEP_PARAM = {
  name: 'dep',
  in: 'path',
  required: true,
  description: 'Deployment name.',
  schema: NAME,
  example: 'prod-etl',
} as const;

const IF_MATCH = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The ETag (or the bare version) you read; a stale version is rejected with 409.',
  schema: { type: 'string', maxLength: 100 },
  example: 'W/"3-9f2c4e1a7b3d5c60"',
} as const;

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A unique key for this create. Retrying with the same key and body returns the first response instead of creating twice; the same key with another body is rejected with 409.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
  example: '6f1c2e0e-8a8e-4c55-9a53-0b2b1d2f8c11',
} as const;

const LIMIT_PARAM = {
  name: 'limit',
  in: 'query',
  required: false,
  description: 'Page size.',
  schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  example: 50,
} as const;

const CURSOR_PARAM = {
  name: 'cursor',
  in: 'query',
  required: false,
  description: 'The nextCursor of the previous page.',
  schema: { type: 'string', maxLength: 500 },
  example: 'eyJhZnRlciI6InByb2QtZXRsIn0',
} as const;

const ERROR_RESPONSE = (description: string) =>
  ({
    description,
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/Error' } },
    },
  } as const);

const JSON_RESPONSE = <S extends string>(description: string, ref: S) =>
  ({
    description,
    content: {
      'application/json': { schema: { $ref: ref } },
    },
  } as const);

const JSON_BODY = <S extends string>(ref: S) =>
  ({
    required: true,
    content: { 'application/json': { schema: { $ref: ref } } },
  } as const);

const COMMON_ERRORS = {
  '400': ERROR_RESPONSE(
    'The request is invalid; the message names each offending field path.',
  ),
  '401': ERROR_RESPONSE('No valid Backstage credentials were sent.'),
  '403': ERROR_RESPONSE('The permission policy denied this request.'),
} as const;

/** The Astro API. */
export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'astro',
    version: '1',
    description:
      'Control plane for Apache Airflow Deployments: Organizations contain Workspaces, Workspaces contain Deployments, and Deployments run on Clusters.',
    license: {
      name: 'Apache-2.0',
      url: 'http://www.apache.org/licenses/LICENSE-2.0.html',
    },
  },
  servers: [{ url: '/' }],
  components: {
    schemas: {
      Health: {
        type: 'object',
        description: 'Liveness.',
        additionalProperties: false,
        properties: {
          status: { type: 'string', description: 'Always ok.', example: 'ok' },
        },
        required: ['status'],
      },
      Error: {
        type: 'object',
        description: 'Backstage error body.',
        properties: {
          error: {
            type: 'object',
            description: 'What went wrong.',
            properties: {
              name: {
                type: 'string',
                description: 'Error class, e.g. InputError, ConflictError.',
                example: 'InputError',
              },
              message: {
                type: 'string',
                description: 'Explanation naming the offending field paths.',
                example:
                  'settings.workerQueues[0].maxWorkers: must be at most 30',
              },
            },
            required: ['name', 'message'],
          },
          request: {
            type: 'object',
            description: 'The request that failed.',
            properties: {
              method: {
                type: 'string',
                description: 'HTTP method.',
                example: 'POST',
              },
              url: {
                type: 'string',
                description: 'Request path.',
                example: '/organizations',
              },
            },
          },
          response: {
            type: 'object',
            description: 'The response status.',
            properties: {
              statusCode: {
                type: 'integer',
                description: 'HTTP status.',
                example: 400,
              },
            },
          },
        },
        required: ['error'],
      },
      Organization: {
        type: 'object',
        description:
          'The top of the hierarchy: owns workspaces and dedicated clusters.',
        additionalProperties: false,
        properties: { ...METADATA_PROPERTIES },
        required: METADATA_REQUIRED,
      },
      OrganizationCreate: {
        type: 'object',
        description: 'A new organization.',
        additionalProperties: false,
        properties: { name: NAME, title: TITLE, description: DESCRIPTION },
        required: ['name'],
      },
      OrganizationUpdate: {
        type: 'object',
        description:
          'Changes to an organization; omitted fields keep their values.',
        additionalProperties: false,
        properties: {
          title: TITLE,
          description: DESCRIPTION,
          version: VERSION_INPUT,
        },
      },
      OrganizationList: {
        type: 'object',
        description: 'All organizations.',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            description: 'Organizations by name.',
            items: { $ref: '#/components/schemas/Organization' },
          },
        },
        required: ['items'],
      },
      Workspace: {
        type: 'object',
        description:
          'A group of Deployments of one organization, owned by a team.',
        additionalProperties: false,
        properties: {
          ...METADATA_PROPERTIES,
          organization: {
            ...NAME,
            description: 'Organization name.',
            example: 'acme',
          },
          owner: OWNER,
          clusterGrants: {
            type: 'array',
            description:
              'Dedicated clusters of the organization this workspace may deploy to.',
            items: { ...NAME, example: 'acme-eu-dedicated' },
          },
        },
        required: [...METADATA_REQUIRED, 'organization', 'clusterGrants'],
      },
      WorkspaceCreate: {
        type: 'object',
        description: 'A new workspace.',
        additionalProperties: false,
        properties: {
          name: NAME,
          title: TITLE,
          description: DESCRIPTION,
          owner: OWNER,
          clusterGrants: {
            type: 'array',
            description: 'Dedicated clusters of the organization to grant.',
            maxItems: 50,
            items: { ...NAME, example: 'acme-eu-dedicated' },
          },
        },
        required: ['name'],
      },
      WorkspaceUpdate: {
        type: 'object',
        description:
          'Changes to a workspace; omitted fields keep their values.',
        additionalProperties: false,
        properties: {
          title: TITLE,
          description: DESCRIPTION,
          owner: {
            ...OWNER,
            type: ['string', 'null'],
            description: 'Owning group; null removes it.',
          },
          clusterGrants: {
            type: 'array',
            description: 'The complete list of granted dedicated clusters.',
            maxItems: 50,
            items: { ...NAME, example: 'acme-eu-dedicated' },
          },
          version: VERSION_INPUT,
        },
      },
      WorkspaceList: {
        type: 'object',
        description: "An organization's workspaces.",
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            description: 'Workspaces by name.',
            items: { $ref: '#/components/schemas/Workspace' },
          },
        },
        required: ['items'],
      },
      ClusterConnection: {
        type: 'object',
        description:
          'How to reach the Kubernetes API server. Write-only: never returned.',
        additionalProperties: false,
        properties: {
          server: {
            type: 'string',
            description: 'API server URL.',
            maxLength: 500,
            example: 'https://10.0.0.1:6443',
          },
          token: {
            type: 'string',
            description: 'Service account bearer token.',
            maxLength: 10000,
            writeOnly: true,
            example: 'eyJhbGciOiJSUzI1NiIs...',
          },
          caData: {
            type: 'string',
            description:
              'Base64-encoded PEM of the CA of the API server certificate.',
            maxLength: 20000,
            example: 'LS0tLS1CRUdJTi...',
          },
          skipTLSVerify: {
            type: 'boolean',
            description:
              'Accept any server certificate (development clusters only).',
            example: false,
          },
        },
        required: ['server'],
      },
      Cluster: {
        type: 'object',
        description: 'A Kubernetes cluster Deployments run on.',
        additionalProperties: false,
        properties: {
          ...METADATA_PROPERTIES,
          name: { ...NAME, example: 'simulator' },
          type: {
            type: 'string',
            enum: ['standard', 'dedicated'],
            description:
              'standard: shared by organizations; dedicated: one organization only.',
            example: 'standard',
          },
          organization: {
            ...NAME,
            description: 'Organization of a dedicated cluster.',
            example: 'acme',
          },
          provider: {
            type: 'string',
            description: 'Where it runs.',
            example: 'aws',
          },
          region: {
            type: 'string',
            description: 'Region or location.',
            example: 'eu-west-1',
          },
          driver: {
            type: 'string',
            description:
              'kubernetes, simulator (the built-in Kubernetes API simulator) or a driver added by a module.',
            example: 'simulator',
          },
          source: {
            type: 'string',
            enum: ['api', 'declared'],
            description:
              'api: registered through this API; declared: by app config or a backend module.',
            example: 'declared',
          },
          deploymentCount: {
            type: 'integer',
            description: 'Deployments placed on it.',
            example: 3,
          },
          reachable: {
            type: 'boolean',
            description:
              "Whether the cluster's API answered the last time the platform asked.",
            example: true,
          },
          capabilities: {
            type: 'object',
            description:
              'What the cluster offers, from its discovery API; absent when it did not answer.',
            additionalProperties: false,
            properties: {
              keda: {
                type: 'boolean',
                description:
                  'Whether KEDA is installed; without it workers scale with HPAs.',
                example: true,
              },
              kubernetesVersion: {
                type: 'string',
                description: 'Kubernetes version.',
                example: 'v1.31.2',
              },
            },
            required: ['keda', 'kubernetesVersion'],
          },
        },
        required: [
          ...METADATA_REQUIRED,
          'type',
          'provider',
          'region',
          'driver',
          'source',
          'deploymentCount',
        ],
      },
      ClusterCreate: {
        type: 'object',
        description: 'A cluster to register, driven by the kubernetes driver.',
        additionalProperties: false,
        properties: {
          name: { ...NAME, example: 'eu-prod' },
          title: TITLE,
          description: DESCRIPTION,
          type: {
            type: 'string',
            enum: ['standard', 'dedicated'],
            description: 'standard or dedicated.',
            example: 'dedicated',
          },
          organization: {
            ...NAME,
            description: 'Required for a dedicated cluster.',
            example: 'acme',
          },
          provider: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'Where it runs.',
            example: 'aws',
          },
          region: {
            type: 'string',
            minLength: 1,
            maxLength: 100,
            description: 'Region or location.',
            example: 'eu-west-1',
          },
          connection: { $ref: '#/components/schemas/ClusterConnection' },
        },
        required: ['name', 'type', 'provider', 'region', 'connection'],
      },
      ClusterUpdate: {
        type: 'object',
        description: 'Changes to an API-registered cluster.',
        additionalProperties: false,
        properties: {
          title: TITLE,
          description: DESCRIPTION,
          connection: { $ref: '#/components/schemas/ClusterConnection' },
          version: VERSION_INPUT,
        },
      },
      ClusterList: {
        type: 'object',
        description: 'All clusters.',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            description: 'Clusters by name.',
            items: { $ref: '#/components/schemas/Cluster' },
          },
        },
        required: ['items'],
      },
      ResourceSize: {
        type: 'object',
        description: 'CPU and memory as Kubernetes quantities.',
        additionalProperties: false,
        properties: {
          cpu: {
            type: 'string',
            maxLength: 20,
            description: 'CPU, e.g. "1" or "500m".',
            example: '2',
          },
          memory: {
            type: 'string',
            maxLength: 20,
            description: 'Memory, e.g. "4Gi".',
            example: '4Gi',
          },
        },
        required: ['cpu', 'memory'],
      },
      WorkerQueue: {
        type: 'object',
        description:
          'A Celery queue and the autoscaling bounds of its workers.',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
            maxLength: 64,
            description:
              'Queue name (lowercase DNS label, at most 32 characters).',
            example: 'default',
          },
          isDefault: {
            type: 'boolean',
            description:
              'The queue tasks without a queue go to; exactly one queue is it.',
            example: true,
          },
          workerSize: {
            type: 'string',
            maxLength: 20,
            description: 'Worker machine type from /deployment-options.',
            example: 'A5',
          },
          minWorkers: {
            type: 'integer',
            description: 'Fewest workers (0 scales to zero).',
            example: 0,
          },
          maxWorkers: {
            type: 'integer',
            description: 'Most workers; at least minWorkers.',
            example: 10,
          },
          concurrency: {
            type: 'integer',
            description: 'Tasks one worker runs at once.',
            example: 5,
          },
        },
        required: ['name'],
      },
      EnvironmentVariable: {
        type: 'object',
        description:
          'An environment variable of every Airflow component. Secret values are write-only.',
        additionalProperties: false,
        properties: {
          key: {
            type: 'string',
            maxLength: 300,
            description: 'Variable name.',
            example: 'AIRFLOW__CORE__PARALLELISM',
          },
          value: {
            type: 'string',
            maxLength: 10000,
            description:
              'Value. Never returned for secret variables; omit it to keep a secret value.',
            example: '64',
          },
          secret: {
            type: 'boolean',
            description: 'Encrypt at rest and never return the value.',
            example: false,
          },
        },
        required: ['key'],
      },
      HibernationSchedule: {
        type: 'object',
        description: 'When the Deployment sleeps and wakes (cron, UTC).',
        additionalProperties: false,
        properties: {
          hibernateAt: {
            type: 'string',
            maxLength: 100,
            description: 'Cron expression.',
            example: '0 20 * * 1-5',
          },
          wakeAt: {
            type: 'string',
            maxLength: 100,
            description: 'Cron expression.',
            example: '0 7 * * 1-5',
          },
          description: {
            type: 'string',
            maxLength: 200,
            description: 'Why.',
            example: 'Nights off',
          },
          enabled: {
            type: 'boolean',
            description: 'Whether it applies.',
            example: true,
          },
        },
        required: ['hibernateAt', 'wakeAt'],
      },
      DeploymentSettings: {
        type: 'object',
        description:
          'Deployment settings. Every field may be omitted to take its default; ranges and choices are served by /deployment-options.',
        additionalProperties: false,
        properties: {
          airflowVersion: {
            type: 'string',
            maxLength: 50,
            description: 'Airflow version from the runtime catalog.',
            example: '3.1.3',
          },
          executor: {
            type: 'string',
            enum: ['CELERY', 'KUBERNETES'],
            description: 'Executor.',
            example: 'CELERY',
          },
          schedulerSize: {
            type: 'string',
            enum: ['SMALL', 'MEDIUM', 'LARGE', 'EXTRA_LARGE'],
            description:
              'Scheduler resources: SMALL 1 CPU/2 GiB, MEDIUM 2/4, LARGE 4/8, EXTRA_LARGE 8/16.',
            example: 'SMALL',
          },
          highAvailability: {
            type: 'boolean',
            description: 'Run two schedulers.',
            example: false,
          },
          workerQueues: {
            type: 'array',
            description: 'Celery worker queues (CELERY only).',
            items: { $ref: '#/components/schemas/WorkerQueue' },
          },
          environmentVariables: {
            type: 'array',
            description: 'Environment variables of every component.',
            items: { $ref: '#/components/schemas/EnvironmentVariable' },
          },
          resourceQuota: { $ref: '#/components/schemas/ResourceSize' },
          defaultTaskPodSize: { $ref: '#/components/schemas/ResourceSize' },
          workerGracePeriodSeconds: {
            type: 'integer',
            description:
              'Seconds running tasks get to finish when a worker stops.',
            example: 86400,
          },
          hibernation: {
            type: 'object',
            description: 'Hibernation schedules.',
            additionalProperties: false,
            properties: {
              schedules: {
                type: 'array',
                description: 'Schedules.',
                items: { $ref: '#/components/schemas/HibernationSchedule' },
              },
            },
          },
          contactEmails: {
            type: 'array',
            description: 'Who gets alerts about this Deployment.',
            items: {
              type: 'string',
              maxLength: 320,
              example: 'oncall@example.com',
            },
          },
        },
      },
      Condition: {
        type: 'object',
        description: 'An observation about the Deployment.',
        additionalProperties: false,
        properties: {
          type: {
            type: 'string',
            description: 'What is observed.',
            example: 'WorkersAutoscaling',
          },
          status: {
            type: 'string',
            enum: ['True', 'False', 'Unknown'],
            description: 'Whether it holds.',
            example: 'False',
          },
          reason: {
            type: 'string',
            description: 'Machine-readable reason.',
            example: 'KedaMissing',
          },
          message: {
            type: 'string',
            description: 'Explanation.',
            example: 'KEDA is not installed; workers scale with an HPA.',
          },
          lastTransitionTime: {
            type: 'string',
            format: 'date-time',
            description: 'When status last changed.',
            example: '2026-11-26T10:05:00.000Z',
          },
        },
        required: ['type', 'status', 'lastTransitionTime'],
      },
      Deployment: {
        type: 'object',
        description: 'An Apache Airflow environment.',
        additionalProperties: false,
        properties: {
          ...METADATA_PROPERTIES,
          name: { ...NAME, example: 'prod-etl' },
          organization: {
            ...NAME,
            description: 'Organization name.',
            example: 'acme',
          },
          workspace: {
            ...NAME,
            description: 'Workspace name.',
            example: 'data-eng',
          },
          cluster: {
            ...NAME,
            description: 'Cluster name.',
            example: 'simulator',
          },
          namespace: {
            type: 'string',
            description: 'Kubernetes namespace, fixed at creation.',
            example: 'astro-prod-etl-3f9a1c',
          },
          owner: OWNER,
          settings: { $ref: '#/components/schemas/DeploymentSettings' },
          status: {
            type: 'string',
            enum: [
              'CREATING',
              'DEPLOYING',
              'HEALTHY',
              'UNHEALTHY',
              'HIBERNATING',
              'DELETING',
              'UNKNOWN',
            ],
            description: 'Lifecycle status.',
            example: 'HEALTHY',
          },
          statusReason: {
            type: 'string',
            description: 'Why it has this status.',
            example: 'All components are ready',
          },
          statusChangedAt: {
            type: 'string',
            format: 'date-time',
            description: 'When the status last changed.',
            example: '2026-11-26T10:05:00.000Z',
          },
          conditions: {
            type: 'array',
            description: 'Observations.',
            items: { $ref: '#/components/schemas/Condition' },
          },
          generation: {
            type: 'integer',
            description: 'Increases with every settings change.',
            example: 4,
          },
          observedGeneration: {
            type: 'integer',
            description: 'The generation the cluster last converged to.',
            example: 4,
          },
          airflowUrl: {
            type: 'string',
            description: 'Where the Airflow UI is.',
            example: 'http://localhost:7007/api/astro/airflow/acme/prod-etl/',
          },
        },
        required: [
          ...METADATA_REQUIRED,
          'organization',
          'workspace',
          'cluster',
          'namespace',
          'settings',
          'status',
          'statusChangedAt',
          'conditions',
          'generation',
          'observedGeneration',
        ],
      },
      DeploymentCreate: {
        type: 'object',
        description: 'A new Deployment: only name and workspace are required.',
        additionalProperties: false,
        properties: {
          name: { ...NAME, example: 'prod-etl' },
          workspace: { ...NAME, description: 'Workspace to create it in.' },
          cluster: {
            ...NAME,
            description: 'Cluster to run on; the default cluster when omitted.',
            example: 'simulator',
          },
          title: TITLE,
          description: DESCRIPTION,
          owner: OWNER,
          settings: { $ref: '#/components/schemas/DeploymentSettings' },
        },
        required: ['name', 'workspace'],
      },
      DeploymentUpdate: {
        type: 'object',
        description:
          'Changes to a Deployment. Each settings field given replaces the current one (lists as a whole); omitted fields keep their values.',
        additionalProperties: false,
        properties: {
          title: TITLE,
          description: DESCRIPTION,
          owner: {
            ...OWNER,
            type: ['string', 'null'],
            description: 'Owning group; null inherits the workspace owner.',
          },
          settings: { $ref: '#/components/schemas/DeploymentSettings' },
          version: VERSION_INPUT,
        },
      },
      DeploymentPage: {
        type: 'object',
        description: 'A page of Deployments.',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            description: 'Deployments by name.',
            items: { $ref: '#/components/schemas/Deployment' },
          },
          nextCursor: {
            type: 'string',
            description: 'Cursor of the next page; absent on the last.',
            example: 'eyJhZnRlciI6InByb2QtZXRsIn0',
          },
        },
        required: ['items'],
      },
      Variables: {
        type: 'object',
        description: 'The complete list of environment variables.',
        additionalProperties: false,
        properties: {
          environmentVariables: {
            type: 'array',
            description:
              'Variables in order. A secret variable without a value keeps its current value.',
            items: { $ref: '#/components/schemas/EnvironmentVariable' },
          },
          version: VERSION_INPUT,
        },
        required: ['environmentVariables'],
      },
      Event: {
        type: 'object',
        description:
          'A change someone made or a status change the platform observed. Secret values are never included.',
        additionalProperties: false,
        properties: {
          id: { type: 'string', description: 'Event id.', example: '42' },
          organization: {
            type: 'string',
            description: 'Organization.',
            example: 'acme',
          },
          resourceType: {
            type: 'string',
            enum: ['organization', 'workspace', 'cluster', 'deployment'],
            description: 'Kind of resource.',
            example: 'deployment',
          },
          resourceName: {
            type: 'string',
            description: 'Path of the resource.',
            example: 'acme/prod-etl',
          },
          action: {
            type: 'string',
            description: 'What happened.',
            example: 'updated',
          },
          actor: {
            type: 'string',
            description: 'Who did it.',
            example: 'user:default/guest',
          },
          message: {
            type: 'string',
            description: 'Summary.',
            example: 'Deployment prod-etl settings changed (generation 2)',
          },
          before: { description: 'The resource before (redacted).' },
          after: { description: 'The resource after (redacted).' },
          createdAt: {
            type: 'string',
            format: 'date-time',
            description: 'When.',
            example: '2026-11-26T10:05:00.000Z',
          },
        },
        required: [
          'id',
          'organization',
          'resourceType',
          'resourceName',
          'action',
          'actor',
          'message',
          'createdAt',
        ],
      },
      EventPage: {
        type: 'object',
        description: 'Events, newest first.',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            description: 'Events.',
            items: { $ref: '#/components/schemas/Event' },
          },
          nextCursor: {
            type: 'string',
            description: 'Cursor of older events.',
            example: 'eyJhZnRlciI6IjQxIn0',
          },
        },
        required: ['items'],
      },
      DeploymentComponents: {
        type: 'object',
        description: 'Components and worker queues as the cluster runs them.',
        additionalProperties: false,
        properties: {
          components: {
            type: 'array',
            description: 'Airflow components.',
            items: {
              type: 'object',
              description: 'A component.',
              additionalProperties: false,
              properties: {
                name: {
                  type: 'string',
                  description: 'Component.',
                  example: 'scheduler',
                },
                kind: {
                  type: 'string',
                  description: 'Kubernetes kind.',
                  example: 'Deployment',
                },
                desiredReplicas: {
                  type: 'integer',
                  description: 'Replicas wanted.',
                  example: 1,
                },
                readyReplicas: {
                  type: 'integer',
                  description: 'Replicas ready.',
                  example: 1,
                },
                state: {
                  type: 'string',
                  enum: ['Ready', 'Progressing', 'Failed', 'Missing'],
                  description: 'State.',
                  example: 'Ready',
                },
                message: {
                  type: 'string',
                  description: 'Why, when not ready.',
                  example: 'Back-off restarting failed container',
                },
              },
              required: [
                'name',
                'kind',
                'desiredReplicas',
                'readyReplicas',
                'state',
              ],
            },
          },
          workerQueues: {
            type: 'array',
            description: 'Worker queues.',
            items: {
              type: 'object',
              description: 'A queue.',
              additionalProperties: false,
              properties: {
                name: {
                  type: 'string',
                  description: 'Queue.',
                  example: 'default',
                },
                minWorkers: {
                  type: 'integer',
                  description: 'Fewest workers.',
                  example: 0,
                },
                maxWorkers: {
                  type: 'integer',
                  description: 'Most workers.',
                  example: 10,
                },
                desiredWorkers: {
                  type: 'integer',
                  description: 'Workers the autoscaler wants.',
                  example: 2,
                },
                readyWorkers: {
                  type: 'integer',
                  description: 'Workers ready.',
                  example: 2,
                },
              },
              required: [
                'name',
                'minWorkers',
                'maxWorkers',
                'desiredWorkers',
                'readyWorkers',
              ],
            },
          },
          observedAt: {
            type: 'string',
            format: 'date-time',
            description: 'When the cluster was observed.',
            example: '2026-11-26T10:05:00.000Z',
          },
        },
        required: ['components', 'workerQueues'],
      },
      HealthSample: {
        type: 'object',
        description: 'A health observation.',
        additionalProperties: false,
        properties: {
          timestamp: {
            type: 'string',
            format: 'date-time',
            description: 'When.',
            example: '2026-11-26T10:05:00.000Z',
          },
          status: {
            type: 'string',
            enum: ['HEALTHY', 'UNHEALTHY', 'UNKNOWN'],
            description: 'Overall.',
            example: 'HEALTHY',
          },
          components: {
            type: 'object',
            description: "Airflow's health per component.",
            additionalProperties: {
              type: 'string',
              enum: ['healthy', 'unhealthy', 'unknown'],
            },
          },
          schedulerHeartbeat: {
            type: 'string',
            description: 'Latest scheduler heartbeat.',
            example: '2026-11-26T10:04:58.000Z',
          },
        },
        required: ['timestamp', 'status', 'components'],
      },
      DeploymentHealth: {
        type: 'object',
        description: 'Current health and recent history, oldest first.',
        additionalProperties: false,
        properties: {
          current: { $ref: '#/components/schemas/HealthSample' },
          history: {
            type: 'array',
            description: 'Samples.',
            items: { $ref: '#/components/schemas/HealthSample' },
          },
        },
        required: ['history'],
      },
      Incident: {
        type: 'object',
        description: 'A period during which the Deployment was unhealthy.',
        additionalProperties: false,
        properties: {
          id: { type: 'string', description: 'Id.', example: '7' },
          deployment: {
            type: 'string',
            description:
              'The Deployment it concerns (in organization-wide lists).',
            example: 'prod-etl',
          },
          title: {
            type: 'string',
            description: 'Summary.',
            example: 'Scheduler heartbeat missing',
          },
          severity: {
            type: 'string',
            enum: ['critical', 'warning'],
            description: 'Severity.',
            example: 'critical',
          },
          component: {
            type: 'string',
            description: 'What failed.',
            example: 'scheduler',
          },
          state: {
            type: 'string',
            enum: ['open', 'resolved'],
            description: 'State.',
            example: 'resolved',
          },
          openedAt: {
            type: 'string',
            format: 'date-time',
            description: 'When it started.',
            example: '2026-11-26T10:00:00.000Z',
          },
          resolvedAt: {
            type: 'string',
            format: 'date-time',
            description: 'When it ended.',
            example: '2026-11-26T10:03:00.000Z',
          },
          message: {
            type: 'string',
            description: 'Details.',
            example: 'The scheduler has not heartbeated for 60 s',
          },
        },
        required: ['id', 'title', 'severity', 'state', 'openedAt', 'message'],
      },
      IncidentList: {
        type: 'object',
        description: 'Incidents, newest first.',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            description: 'Incidents.',
            items: { $ref: '#/components/schemas/Incident' },
          },
        },
        required: ['items'],
      },
      ImportResult: {
        type: 'object',
        description: 'The Deployment a deployment file created or updated.',
        additionalProperties: false,
        properties: {
          created: {
            type: 'boolean',
            description: 'Whether it was created (else updated).',
            example: true,
          },
          deployment: { $ref: '#/components/schemas/Deployment' },
        },
        required: ['created', 'deployment'],
      },
      DeploymentOptions: {
        type: 'object',
        description: 'Choices, defaults and ranges of Deployment settings.',
        additionalProperties: false,
        properties: {
          runtimeReleases: {
            type: 'array',
            description: 'Airflow releases, newest first.',
            items: {
              type: 'object',
              description: 'A release.',
              additionalProperties: false,
              properties: {
                airflowVersion: {
                  type: 'string',
                  description: 'Airflow version.',
                  example: '3.1.3',
                },
                image: {
                  type: 'string',
                  description: 'Image.',
                  example: 'apache/airflow:3.1.3',
                },
                isDefault: {
                  type: 'boolean',
                  description: 'The default for new Deployments.',
                  example: true,
                },
              },
              required: ['airflowVersion', 'image', 'isDefault'],
            },
          },
          executors: {
            type: 'array',
            description: 'Executors.',
            items: { type: 'string', example: 'CELERY' },
          },
          defaultExecutor: {
            type: 'string',
            description: 'Default executor.',
            example: 'CELERY',
          },
          schedulerSizes: {
            type: 'array',
            description: 'Scheduler sizes.',
            items: {
              type: 'object',
              description: 'A size.',
              additionalProperties: false,
              properties: {
                size: {
                  type: 'string',
                  description: 'Size.',
                  example: 'SMALL',
                },
                cpu: { type: 'string', description: 'CPU.', example: '1' },
                memory: {
                  type: 'string',
                  description: 'Memory.',
                  example: '2Gi',
                },
              },
              required: ['size', 'cpu', 'memory'],
            },
          },
          defaultSchedulerSize: {
            type: 'string',
            description: 'Default scheduler size.',
            example: 'SMALL',
          },
          workerMachines: {
            type: 'array',
            description: 'Worker machine types.',
            items: {
              type: 'object',
              description: 'A machine type.',
              additionalProperties: false,
              properties: {
                name: { type: 'string', description: 'Name.', example: 'A5' },
                cpu: { type: 'string', description: 'CPU.', example: '1' },
                memory: {
                  type: 'string',
                  description: 'Memory.',
                  example: '2Gi',
                },
                defaultConcurrency: {
                  type: 'integer',
                  description: 'Default concurrency.',
                  example: 5,
                },
              },
              required: ['name', 'cpu', 'memory', 'defaultConcurrency'],
            },
          },
          workerQueues: {
            type: 'object',
            description:
              'Queue defaults and ranges (minWorkers, maxWorkers, concurrency as {default, floor, ceiling}).',
            additionalProperties: false,
          },
          workerGracePeriodSeconds: {
            type: 'object',
            description: 'Grace period range {default, floor, ceiling}.',
            additionalProperties: false,
          },
          resourceQuota: {
            type: 'object',
            description: 'Quota default and maximum.',
            additionalProperties: false,
          },
          defaultTaskPodSize: {
            type: 'object',
            description: 'Task pod size default and maximum.',
            additionalProperties: false,
          },
          reservedEnvironmentVariables: {
            type: 'array',
            description: 'Variables users may not set.',
            items: { type: 'string', example: 'AIRFLOW__CORE__FERNET_KEY' },
          },
          limits: {
            type: 'object',
            description: 'Count and length limits.',
            additionalProperties: false,
            properties: {
              maxEnvironmentVariables: {
                type: 'integer',
                description: 'Most variables.',
                example: 200,
              },
              maxEnvironmentVariableValueLength: {
                type: 'integer',
                description: 'Longest value.',
                example: 10000,
              },
              maxHibernationSchedules: {
                type: 'integer',
                description: 'Most schedules.',
                example: 10,
              },
              maxContactEmails: {
                type: 'integer',
                description: 'Most contact addresses.',
                example: 20,
              },
            },
            required: [
              'maxEnvironmentVariables',
              'maxEnvironmentVariableValueLength',
              'maxHibernationSchedules',
              'maxContactEmails',
            ],
          },
        },
        required: [
          'runtimeReleases',
          'executors',
          'defaultExecutor',
          'schedulerSizes',
          'defaultSchedulerSize',
          'workerMachines',
          'workerQueues',
          'workerGracePeriodSeconds',
          'resourceQuota',
          'defaultTaskPodSize',
          'reservedEnvironmentVariables',
          'limits',
        ],
      },
    },
  },
  paths: {
    '/health': {
      get: {
        operationId: 'getHealth',
        description: 'Liveness of the plugin; needs no credentials.',
        security: [],
        responses: {
          '200': JSON_RESPONSE('Healthy.', '#/components/schemas/Health'),
        },
      },
    },
    '/deployment-options': {
      get: {
        operationId: 'getDeploymentOptions',
        description:
          'Choices, defaults and allowed ranges of Deployment settings.',
        responses: {
          '200': JSON_RESPONSE(
            'The options.',
            '#/components/schemas/DeploymentOptions',
          ),
          ...COMMON_ERRORS,
        },
      },
    },
    '/organizations': {
      get: {
        operationId: 'listOrganizations',
        description: 'All organizations.',
        responses: {
          '200': JSON_RESPONSE(
            'Organizations.',
            '#/components/schemas/OrganizationList',
          ),
          ...COMMON_ERRORS,
        },
      },
      post: {
        operationId: 'createOrganization',
        description: 'Creates an organization.',
        parameters: [IDEMPOTENCY_KEY],
        requestBody: JSON_BODY('#/components/schemas/OrganizationCreate'),
        responses: {
          '201': JSON_RESPONSE('Created.', '#/components/schemas/Organization'),
          ...COMMON_ERRORS,
          '409': ERROR_RESPONSE('The name is taken.'),
        },
      },
    },
    '/organizations/{org}': {
      get: {
        operationId: 'getOrganization',
        description: 'One organization.',
        parameters: [ORG_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'The organization.',
            '#/components/schemas/Organization',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
        },
      },
      patch: {
        operationId: 'updateOrganization',
        description: 'Changes an organization.',
        parameters: [ORG_PARAM, IF_MATCH],
        requestBody: JSON_BODY('#/components/schemas/OrganizationUpdate'),
        responses: {
          '200': JSON_RESPONSE('Updated.', '#/components/schemas/Organization'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
          '409': ERROR_RESPONSE('The version is stale.'),
        },
      },
      delete: {
        operationId: 'deleteOrganization',
        description:
          'Deletes an organization without workspaces or dedicated clusters.',
        parameters: [ORG_PARAM],
        responses: {
          '204': { description: 'Deleted.' },
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
          '409': ERROR_RESPONSE(
            'It still has workspaces or dedicated clusters.',
          ),
        },
      },
    },
    '/organizations/{org}/workspaces': {
      get: {
        operationId: 'listWorkspaces',
        description: "An organization's workspaces.",
        parameters: [ORG_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'Workspaces.',
            '#/components/schemas/WorkspaceList',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
        },
      },
      post: {
        operationId: 'createWorkspace',
        description: 'Creates a workspace.',
        parameters: [ORG_PARAM, IDEMPOTENCY_KEY],
        requestBody: JSON_BODY('#/components/schemas/WorkspaceCreate'),
        responses: {
          '201': JSON_RESPONSE('Created.', '#/components/schemas/Workspace'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
          '409': ERROR_RESPONSE('The name is taken.'),
        },
      },
    },
    '/organizations/{org}/workspaces/{ws}': {
      get: {
        operationId: 'getWorkspace',
        description: 'One workspace.',
        parameters: [ORG_PARAM, WS_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'The workspace.',
            '#/components/schemas/Workspace',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or workspace.'),
        },
      },
      patch: {
        operationId: 'updateWorkspace',
        description: 'Changes a workspace.',
        parameters: [ORG_PARAM, WS_PARAM, IF_MATCH],
        requestBody: JSON_BODY('#/components/schemas/WorkspaceUpdate'),
        responses: {
          '200': JSON_RESPONSE('Updated.', '#/components/schemas/Workspace'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or workspace.'),
          '409': ERROR_RESPONSE('The version is stale.'),
        },
      },
      delete: {
        operationId: 'deleteWorkspace',
        description: 'Deletes a workspace without Deployments.',
        parameters: [ORG_PARAM, WS_PARAM],
        responses: {
          '204': { description: 'Deleted.' },
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or workspace.'),
          '409': ERROR_RESPONSE('It still has Deployments.'),
        },
      },
    },
    '/clusters': {
      get: {
        operationId: 'listClusters',
        description: 'All clusters, declared and registered.',
        responses: {
          '200': JSON_RESPONSE('Clusters.', '#/components/schemas/ClusterList'),
          ...COMMON_ERRORS,
        },
      },
      post: {
        operationId: 'createCluster',
        description: 'Registers a Kubernetes cluster.',
        parameters: [IDEMPOTENCY_KEY],
        requestBody: JSON_BODY('#/components/schemas/ClusterCreate'),
        responses: {
          '201': JSON_RESPONSE('Registered.', '#/components/schemas/Cluster'),
          ...COMMON_ERRORS,
          '409': ERROR_RESPONSE('The name is taken.'),
        },
      },
    },
    '/clusters/{cluster}': {
      get: {
        operationId: 'getCluster',
        description: 'One cluster.',
        parameters: [CLUSTER_PARAM],
        responses: {
          '200': JSON_RESPONSE('The cluster.', '#/components/schemas/Cluster'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such cluster.'),
        },
      },
      patch: {
        operationId: 'updateCluster',
        description: 'Changes an API-registered cluster.',
        parameters: [CLUSTER_PARAM, IF_MATCH],
        requestBody: JSON_BODY('#/components/schemas/ClusterUpdate'),
        responses: {
          '200': JSON_RESPONSE('Updated.', '#/components/schemas/Cluster'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such cluster.'),
          '409': ERROR_RESPONSE('Stale version, or declared in config.'),
        },
      },
      delete: {
        operationId: 'deleteCluster',
        description:
          'Removes an API-registered cluster that runs no Deployments.',
        parameters: [CLUSTER_PARAM],
        responses: {
          '204': { description: 'Removed.' },
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such cluster.'),
          '409': ERROR_RESPONSE(
            'It runs Deployments, or is declared in config.',
          ),
        },
      },
    },
    '/organizations/{org}/deployments': {
      get: {
        operationId: 'listDeployments',
        description:
          "An organization's Deployments, by name, a page at a time.",
        parameters: [
          ORG_PARAM,
          {
            name: 'workspace',
            in: 'query',
            required: false,
            description: 'Only Deployments of this workspace.',
            schema: NAME,
            example: 'data-eng',
          },
          LIMIT_PARAM,
          CURSOR_PARAM,
        ],
        responses: {
          '200': JSON_RESPONSE(
            'A page.',
            '#/components/schemas/DeploymentPage',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or workspace.'),
        },
      },
      post: {
        operationId: 'createDeployment',
        description:
          'Creates a Deployment; it is provisioned on its cluster asynchronously.',
        parameters: [ORG_PARAM, IDEMPOTENCY_KEY],
        requestBody: JSON_BODY('#/components/schemas/DeploymentCreate'),
        responses: {
          '201': JSON_RESPONSE('Created.', '#/components/schemas/Deployment'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
          '409': ERROR_RESPONSE('The name is taken.'),
        },
      },
    },
    '/organizations/{org}/deployments:import': {
      post: {
        operationId: 'importDeployment',
        description:
          'Creates or updates a Deployment from a deployment file (YAML, as exported by /spec). Secret variables without a value keep their values.',
        parameters: [ORG_PARAM],
        requestBody: {
          required: true,
          content: {
            'application/yaml': {
              schema: {
                type: 'string',
                maxLength: 1048576,
                description: 'The deployment file.',
              },
            },
          },
        },
        responses: {
          '200': JSON_RESPONSE('Updated.', '#/components/schemas/ImportResult'),
          '201': JSON_RESPONSE('Created.', '#/components/schemas/ImportResult'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
          '409': ERROR_RESPONSE('The Deployment is being deleted.'),
        },
      },
    },
    '/organizations/{org}/deployments/{dep}': {
      get: {
        operationId: 'getDeployment',
        description: 'One Deployment with its settings and status.',
        parameters: [ORG_PARAM, DEP_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'The Deployment.',
            '#/components/schemas/Deployment',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
      patch: {
        operationId: 'updateDeployment',
        description:
          'Changes a Deployment; settings changes increase its generation and are rolled out.',
        parameters: [ORG_PARAM, DEP_PARAM, IF_MATCH],
        requestBody: JSON_BODY('#/components/schemas/DeploymentUpdate'),
        responses: {
          '200': JSON_RESPONSE('Updated.', '#/components/schemas/Deployment'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
          '409': ERROR_RESPONSE(
            'The version is stale, or it is being deleted.',
          ),
        },
      },
      delete: {
        operationId: 'deleteDeployment',
        description:
          'Requests deletion: the Deployment turns DELETING until its namespace and database are gone. Repeating it is harmless.',
        parameters: [ORG_PARAM, DEP_PARAM],
        responses: {
          '202': JSON_RESPONSE(
            'Deletion requested.',
            '#/components/schemas/Deployment',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
    },
    '/organizations/{org}/deployments/{dep}/variables': {
      get: {
        operationId: 'getDeploymentVariables',
        description: 'Environment variables; secret values are not returned.',
        parameters: [ORG_PARAM, DEP_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'The variables.',
            '#/components/schemas/Variables',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
      put: {
        operationId: 'putDeploymentVariables',
        description: 'Replaces the environment variables.',
        parameters: [ORG_PARAM, DEP_PARAM, IF_MATCH],
        requestBody: JSON_BODY('#/components/schemas/Variables'),
        responses: {
          '200': JSON_RESPONSE(
            'The variables.',
            '#/components/schemas/Variables',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
          '409': ERROR_RESPONSE(
            'The version is stale, or it is being deleted.',
          ),
        },
      },
    },
    '/organizations/{org}/deployments/{dep}/events': {
      get: {
        operationId: 'listDeploymentEvents',
        description: 'Audit entries and status changes, newest first.',
        parameters: [ORG_PARAM, DEP_PARAM, LIMIT_PARAM, CURSOR_PARAM],
        responses: {
          '200': JSON_RESPONSE('Events.', '#/components/schemas/EventPage'),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
    },
    '/organizations/{org}/deployments/{dep}/components': {
      get: {
        operationId: 'getDeploymentComponents',
        description:
          'Components and worker queues with their replicas, as last observed on the cluster.',
        parameters: [ORG_PARAM, DEP_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'Components.',
            '#/components/schemas/DeploymentComponents',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
    },
    '/organizations/{org}/deployments/{dep}/health': {
      get: {
        operationId: 'getDeploymentHealth',
        description: 'Airflow health now and over the recent past.',
        parameters: [ORG_PARAM, DEP_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'Health.',
            '#/components/schemas/DeploymentHealth',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
    },
    '/organizations/{org}/deployments/{dep}/incidents': {
      get: {
        operationId: 'listDeploymentIncidents',
        description: 'Open and resolved incidents, newest first.',
        parameters: [ORG_PARAM, DEP_PARAM],
        responses: {
          '200': JSON_RESPONSE(
            'Incidents.',
            '#/components/schemas/IncidentList',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
    },
    '/organizations/{org}/incidents': {
      get: {
        operationId: 'listOrganizationIncidents',
        description:
          "Incidents of an organization's Deployments, newest first.",
        parameters: [
          ORG_PARAM,
          {
            name: 'state',
            in: 'query',
            required: false,
            description: 'Only open or only resolved incidents.',
            schema: { type: 'string', enum: ['open', 'resolved'] },
            example: 'open',
          },
          LIMIT_PARAM,
        ],
        responses: {
          '200': JSON_RESPONSE(
            'Incidents.',
            '#/components/schemas/IncidentList',
          ),
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization.'),
        },
      },
    },
    '/organizations/{org}/deployments/{dep}/spec': {
      get: {
        operationId: 'exportDeployment',
        description:
          'The Deployment as a deployment file (YAML), without secret values.',
        parameters: [ORG_PARAM, DEP_PARAM],
        responses: {
          '200': {
            description: 'The deployment file.',
            content: {
              'application/yaml': {
                schema: { type: 'string', description: 'YAML document.' },
              },
            },
          },
          ...COMMON_ERRORS,
          '404': ERROR_RESPONSE('No such organization or Deployment.'),
        },
      },
    },
  },
} as const;
