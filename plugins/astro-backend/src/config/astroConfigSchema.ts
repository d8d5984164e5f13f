import { z } from 'zod';

/*
 * The shape of `astro.*` as this plugin reads it: every key it knows, with
 * objects closed (`z.strictObject`), so that a misspelled key fails the
 * start instead of being ignored. This schema is the one definition the
 * start-up check derives the allowed keys from; `config.d.ts` documents the
 * same keys for Backstage's tooling (visibility, `config:check`), and
 * `astroConfigSchema.test.ts` fails when the two disagree.
 *
 * Values may come from environment substitution (`$env`), which yields
 * strings: numbers and booleans accept their string forms, as Backstage's
 * config reader does.
 */

const configNumber = z.union([
  z.number(),
  z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number'),
]);
const configBoolean = z.union([z.boolean(), z.enum(['true', 'false'])]);
/** `deprecated` / `endOfLife` of a release: a flag or the day it starts. */
const lifecycle = z.union([
  configBoolean,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be true, false or a day (YYYY-MM-DD)'),
]);
const duration = z.union([
  z.string(),
  z.record(z.string(), z.union([z.number(), z.string()])),
]);
const schedule = z.strictObject({
  frequency: z.union([z.strictObject({ cron: z.string() }), duration]),
  timeout: duration,
  initialDelay: duration.optional(),
});
const stringMap = z.record(z.string(), z.string());

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.hostname !== ''
    );
  } catch {
    return false;
  }
}

// The messages never echo the value: URLs may carry credentials.
const httpUrl = z
  .string()
  .refine(isHttpUrl, 'is not an http(s) URL, e.g. https://10.0.0.1:6443');

const imagePullCredentials = z.array(
  z.strictObject({
    registry: z.string(),
    username: z.string(),
    password: z.string(),
  }),
);

const placeholderHost = {
  hostTemplate: z.string(),
  path: z.string().optional(),
  annotations: stringMap.optional(),
};

const cluster = z
  .strictObject({
    name: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    type: z.enum(['standard', 'dedicated']).optional(),
    organization: z.string().optional(),
    provider: z.string().optional(),
    region: z.string().optional(),
    driver: z.string().optional(),
    revision: configNumber.optional(),
    airflowUrlTemplate: z.string().optional(),
    airflowIngress: z
      .strictObject({
        className: z.string().optional(),
        ...placeholderHost,
        tls: z.strictObject({ secretName: z.string().optional() }).optional(),
      })
      .optional(),
    airflowGateway: z
      .strictObject({
        parentRefs: z.array(
          z.strictObject({
            name: z.string(),
            namespace: z.string(),
            sectionName: z.string().optional(),
          }),
        ),
        ...placeholderHost,
        scheme: z.enum(['https', 'http']).optional(),
      })
      .optional(),
    remoteLogging: z
      .strictObject({
        type: z.enum(['s3', 'gcs', 'wasb', 'elasticsearch', 'opensearch']),
        baseFolder: z.string().optional(),
        wasbContainer: z.string().optional(),
        connection: z
          .strictObject({
            uri: z.string().optional(),
            id: z.string().optional(),
          })
          .optional(),
        host: z.string().optional(),
        port: configNumber.optional(),
        username: z.string().optional(),
        password: z.string().optional(),
      })
      .optional(),
    keda: z
      .strictObject({
        namespace: z.string().optional(),
        operatorPodLabels: stringMap.optional(),
      })
      .optional(),
    url: httpUrl.optional(),
    serviceAccountToken: z.string().min(1).optional(),
    caData: z.string().optional(),
    caFile: z.string().optional(),
    skipTLSVerify: configBoolean.optional(),
    kubeconfig: z
      .strictObject({ path: z.string(), context: z.string().optional() })
      .optional(),
    inCluster: configBoolean.optional(),
    imagePullCredentials: imagePullCredentials.optional(),
  })
  .superRefine((value, ctx) => {
    // A URL without a token would send unauthenticated requests, which the
    // API server refuses: every Deployment on the cluster would turn
    // UNKNOWN ("refused the platform's credentials").
    if (value.url !== undefined && value.serviceAccountToken === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['serviceAccountToken'],
        message:
          'is missing: a cluster with url needs serviceAccountToken (or use kubeconfig or inCluster)',
      });
    }
    if (value.serviceAccountToken !== undefined && value.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'is missing: serviceAccountToken is sent to the url only',
      });
    }
  });

const postgresConnection = z.union([
  z
    .string()
    .refine(
      value => /^postgres(ql)?:\/\/[^\s]+$/.test(value),
      'is not a postgresql:// connection string',
    ),
  z.strictObject({
    host: z.string(),
    port: configNumber.optional(),
    user: z.string(),
    password: z.string().optional(),
    database: z.string().optional(),
    ssl: configBoolean.optional(),
  }),
]);

/** The keys of `astro.*` and the form of their values. */
export const astroConfigSchema = z.strictObject({
  secrets: z.strictObject({ encryptionKey: z.string().optional() }).optional(),
  runtimes: z
    .array(
      z.strictObject({
        airflowVersion: z.string(),
        image: z.string(),
        default: configBoolean.optional(),
        deprecated: lifecycle.optional(),
        endOfLife: lifecycle.optional(),
        migrationRevision: z.string().optional(),
        imagePullCredentials: imagePullCredentials.optional(),
      }),
    )
    .optional(),
  limits: z
    .strictObject({
      maxWorkersPerQueue: configNumber.optional(),
      maxWorkerQueues: configNumber.optional(),
      maxWorkerGracePeriodSeconds: configNumber.optional(),
      maxQuotaCpu: z.string().optional(),
      maxQuotaMemory: z.string().optional(),
      maxEnvironmentVariables: configNumber.optional(),
    })
    .optional(),
  defaultCluster: z.string().optional(),
  deployments: z
    .strictObject({ allowQuotaOversubscription: configBoolean.optional() })
    .optional(),
  demo: z.strictObject({ seed: configBoolean.optional() }).optional(),
  bootstrapOwners: z.array(z.string()).optional(),
  permissions: z
    .strictObject({ membershipCacheSeconds: configNumber.optional() })
    .optional(),
  reconciler: z
    .strictObject({
      enabled: configBoolean.optional(),
      schedule: schedule.optional(),
      concurrency: configNumber.optional(),
      leaseTtlSeconds: configNumber.optional(),
      fieldManager: z.string().optional(),
      forceConflicts: configBoolean.optional(),
      shutdownTimeoutSeconds: configNumber.optional(),
    })
    .optional(),
  portal: z.strictObject({ frontendPath: z.string().optional() }).optional(),
  alerts: z
    .strictObject({
      webhook: z
        .strictObject({
          maxAttempts: configNumber.optional(),
          initialBackoffMs: configNumber.optional(),
          timeoutMs: configNumber.optional(),
          allowPrivateNetworks: configBoolean.optional(),
        })
        .optional(),
    })
    .optional(),
  monitor: z
    .strictObject({
      schedule: schedule.optional(),
      retentionHours: configNumber.optional(),
      maxAirflowRequestsPerMinute: configNumber.optional(),
      thresholds: z
        .strictObject({
          heartbeatMissingMinutes: configNumber.optional(),
          dagRunFailures: z
            .strictObject({
              count: configNumber.optional(),
              windowMinutes: configNumber.optional(),
            })
            .optional(),
        })
        .optional(),
      airflowInsight: z
        .strictObject({ cacheSeconds: configNumber.optional() })
        .optional(),
      history: z
        .strictObject({
          bucketMinutes: configNumber.optional(),
          retentionDays: configNumber.optional(),
        })
        .optional(),
    })
    .optional(),
  metadataDatabase: z
    .strictObject({
      postgres: z
        .strictObject({
          id: z.string().optional(),
          connection: postgresConnection,
          host: z.string().optional(),
          port: configNumber.optional(),
          sslMode: z
            .enum([
              'disable',
              'allow',
              'prefer',
              'require',
              'verify-ca',
              'verify-full',
            ])
            .optional(),
          namePrefix: z.string().optional(),
          connectionLimit: configNumber.optional(),
        })
        .optional(),
    })
    .optional(),
  clusters: z.array(cluster).optional(),
  clustersFromKubernetesConfig: configBoolean.optional(),
  deploys: z
    .strictObject({
      maxBundleBytes: configNumber.optional(),
      maxBundleExpandedBytes: configNumber.optional(),
      maxBundleEntries: configNumber.optional(),
      retentionDays: configNumber.optional(),
      timeoutSeconds: configNumber.optional(),
      bundleBaseUrl: httpUrl.optional(),
      syncIntervalSeconds: configNumber.optional(),
    })
    .optional(),
  kubernetesDriver: z
    .strictObject({
      requestTimeoutMs: configNumber.optional(),
      watchTimeoutSeconds: configNumber.optional(),
      watchIdleTimeoutMs: configNumber.optional(),
      listPageSize: configNumber.optional(),
      informerBackoff: z
        .strictObject({
          initialMs: configNumber.optional(),
          maxMs: configNumber.optional(),
        })
        .optional(),
    })
    .optional(),
  // Owned by the simulator module, which reads and checks it.
  simulator: z.unknown().optional(),
});
