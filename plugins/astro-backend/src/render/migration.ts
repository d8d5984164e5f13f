import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type { V1Job, V1JobSpec } from '@kubernetes/client-node';
import { databaseIdentity } from './configuration';
import type { RenderContext } from './context';
import { contentHash } from './hash';
import { objectMetadata, ownedLabels } from './labels';
import { NAMES } from './names';
import { guaranteedResources, kubernetesObject } from './objects';
import {
  AIRFLOW_POD_SECURITY_CONTEXT,
  CONTAINER_SECURITY_CONTEXT,
  airflowEnv,
  airflowEnvFrom,
} from './pods';
import { COMPONENT_RESOURCES } from './resources';
import { imagePullSecrets } from './dags';

/** Prefix of the migration Job's name. */
export const MIGRATION_JOB_PREFIX = 'migrate-db-';

/**
 * The `airflow db migrate` Job. A Job's pod template is immutable, so its
 * name carries a hash of everything its template depends on (image, Airflow
 * version, the database it migrates, the template itself): any change makes
 * a new Job, which runs the migration again. Its pods read Secrets through
 * references only, so changed variables do not re-run it. With
 * `databaseDowngradeTo` the Job runs `airflow db downgrade` instead.
 */
export function renderMigration(ctx: RenderContext): KubernetesObject[] {
  const component = 'migrate-database';
  const spec: V1JobSpec = {
    backoffLimit: 10,
    template: {
      metadata: { labels: ownedLabels(ctx.deployment, { component }) },
      spec: {
        restartPolicy: 'OnFailure',
        serviceAccountName: NAMES.migrationServiceAccount,
        enableServiceLinks: false,
        securityContext: AIRFLOW_POD_SECURITY_CONTEXT,
        containers: [
          {
            name: 'migrate',
            image: ctx.image,
            imagePullPolicy: 'IfNotPresent',
            args: ctx.input.databaseDowngradeTo
              ? [
                  'airflow',
                  'db',
                  'downgrade',
                  '--to-version',
                  ctx.input.databaseDowngradeTo,
                  '--yes',
                ]
              : ['airflow', 'db', 'migrate'],
            env: [{ name: 'PYTHONUNBUFFERED', value: '1' }, ...airflowEnv(ctx)],
            envFrom: airflowEnvFrom(),
            resources: guaranteedResources(COMPONENT_RESOURCES.migration),
            securityContext: CONTAINER_SECURITY_CONTEXT,
          },
        ],
        ...imagePullSecrets(ctx),
      },
    },
  };
  const hash = contentHash({
    image: ctx.image,
    airflowVersion: ctx.input.runtime.airflowVersion,
    database: databaseIdentity(ctx),
    spec,
  }).slice(0, 10);
  return [
    kubernetesObject<V1Job>(
      'batch/v1',
      'Job',
      objectMetadata(ctx.deployment, `${MIGRATION_JOB_PREFIX}${hash}`, {
        component,
      }),
      { spec },
    ),
  ];
}
