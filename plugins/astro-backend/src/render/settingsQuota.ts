import type { DeploymentSettings } from '@airflow-portal/plugin-astro-common';
import { airflowMajorVersion } from './context';
import { QuotaInput, QuotaPlan, planQuota } from './quota';

/** What the platform adds to a Deployment's settings that the quota depends on. */
export interface QuotaPlatform {
  /** No metadata-database provisioner: a PostgreSQL runs in each namespace. */
  inNamespaceDatabase: boolean;
  /** The backend serves DAG deploys (a DAG sync in each pod parsing or running DAGs). */
  dagSync: boolean;
}

/**
 * The quota plan of settings as they are written, before anything is
 * rendered: the same arithmetic the renderer uses, from the settings and
 * the platform's facts.
 *
 * @public
 */
export function planSettingsQuota(
  settings: DeploymentSettings,
  sizes: QuotaInput['sizes'],
  platform: QuotaPlatform,
): QuotaPlan {
  let dags: QuotaInput['dags'] = 'image';
  if (settings.gitDagBundle) {
    dags = 'git';
  } else if (platform.dagSync) {
    dags = 'sync';
  }
  return planQuota({
    settings,
    sizes,
    airflow3: airflowMajorVersion(settings.airflowVersion) >= 3,
    dags,
    inNamespaceDatabase: platform.inNamespaceDatabase,
  });
}
