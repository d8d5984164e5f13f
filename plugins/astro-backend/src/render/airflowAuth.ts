import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { AIRFLOW_ACCESS } from '@airflow-portal/plugin-astro-common';
import type {
  V1EnvVar,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { RenderContext } from './context';
import { ConfigRef, NAMES } from './names';

/** The Python package shipped in this package (`assets/airflow_portal_auth`). */
export const PORTAL_AUTH_PACKAGE_DIR = resolvePackagePath(
  '@airflow-portal/plugin-astro-backend',
  'assets/airflow_portal_auth',
);

/** Its files, read once when the module loads (the renderer stays pure). */
export const PORTAL_AUTH_FILES: Record<string, string> = Object.fromEntries(
  readdirSync(PORTAL_AUTH_PACKAGE_DIR)
    .filter(name => name.endsWith('.py'))
    .sort()
    .map(name => [
      name,
      readFileSync(join(PORTAL_AUTH_PACKAGE_DIR, name), 'utf8'),
    ]),
);

/** Where the package's directory is on `PYTHONPATH` of the UI component. */
export const PORTAL_AUTH_PYTHONPATH = '/opt/astro/portal-auth';

/** Airflow 3's plugins folder (`[core] plugins_folder`, `$AIRFLOW_HOME/plugins`). */
const AIRFLOW_PLUGINS_DIR = '/opt/airflow/plugins';

/** The Airflow 3 auth manager of the package. */
export const PORTAL_AUTH_MANAGER =
  'airflow_portal_auth.auth_manager.PortalAuthManager';

/** The Airflow 2 REST API auth backends: portal tokens, then the UI's session. */
export const PORTAL_API_AUTH_BACKENDS =
  'airflow_portal_auth.api_auth_backend,airflow.api.auth.backend.session';

const VOLUME = 'portal-auth';

/**
 * Settings every Airflow 3 component shares (the `airflow-config`
 * ConfigMap): the audience and issuer of the API tokens Airflow signs
 * and accepts. The scheduler signs task tokens with the same issuer the
 * api-server's Execution API then requires.
 */
export function portalAuthAirflowConfig(
  ctx: RenderContext,
): Record<string, string> {
  if (!ctx.airflow3) {
    return {};
  }
  return {
    AIRFLOW__API_AUTH__JWT_AUDIENCE: AIRFLOW_ACCESS.apiAudience,
    AIRFLOW__API_AUTH__JWT_ISSUER: AIRFLOW_ACCESS.issuer,
  };
}

/** The ConfigMap holding the package, one key per file. */
export function portalAuthConfigMapData(): Record<string, string> {
  return { ...PORTAL_AUTH_FILES };
}

/**
 * What the UI component (api-server on Airflow 3, webserver on Airflow 2)
 * gets, and no other: the package mounted read-only, its settings and,
 * on Airflow 2, the signing key (Airflow 3 reads `[api_auth] jwt_secret`).
 */
export function portalAuthUiParts(ctx: RenderContext): {
  env: V1EnvVar[];
  volumeMounts: V1VolumeMount[];
  volumes: V1Volume[];
  extraConfig: ConfigRef[];
} {
  const packageDir = `${PORTAL_AUTH_PYTHONPATH}/airflow_portal_auth`;
  const env: V1EnvVar[] = [
    { name: 'PYTHONPATH', value: PORTAL_AUTH_PYTHONPATH },
    {
      name: 'AIRFLOW_PORTAL_DEPLOYMENT_URL',
      value: ctx.input.portal?.deploymentUrl ?? '',
    },
  ];
  const volumeMounts: V1VolumeMount[] = [
    { name: VOLUME, mountPath: packageDir, readOnly: true },
  ];
  if (ctx.airflow3) {
    env.push({
      name: 'AIRFLOW__CORE__AUTH_MANAGER',
      value: PORTAL_AUTH_MANAGER,
    });
    volumeMounts.push({
      name: VOLUME,
      mountPath: `${AIRFLOW_PLUGINS_DIR}/airflow_portal_auth_plugin.py`,
      subPath: 'plugin.py',
      readOnly: true,
    });
  } else {
    env.push(
      {
        name: 'AIRFLOW__WEBSERVER__CONFIG_FILE',
        value: `${packageDir}/webserver_config.py`,
      },
      { name: 'AIRFLOW__API__AUTH_BACKENDS', value: PORTAL_API_AUTH_BACKENDS },
      {
        name: 'AIRFLOW_PORTAL_JWT_SECRET',
        valueFrom: {
          secretKeyRef: { name: NAMES.keysSecret, key: 'jwt-secret' },
        },
      },
    );
  }
  return {
    env,
    volumeMounts,
    volumes: [{ name: VOLUME, configMap: { name: NAMES.portalAuthConfigMap } }],
    extraConfig: [`ConfigMap/${NAMES.portalAuthConfigMap}`],
  };
}
