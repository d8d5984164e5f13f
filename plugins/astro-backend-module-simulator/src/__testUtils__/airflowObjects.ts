import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';

/** The DAG sync environment, as the renderer puts it on the containers. */
export function dagSyncEnv(url: string, intervalSeconds: string) {
  return [
    { name: 'ASTRO_BUNDLE_URL', value: url },
    {
      name: 'ASTRO_BUNDLE_TOKEN',
      valueFrom: { secretKeyRef: { name: 'astro-dag-sync', key: 'token' } },
    },
    {
      name: 'ASTRO_POD_NAME',
      valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
    },
    { name: 'ASTRO_DAGS_DIR', value: '/opt/airflow/dags' },
    { name: 'ASTRO_SYNC_INTERVAL_SECONDS', value: intervalSeconds },
  ];
}

/** Secret `astro-dag-sync` with the bundle token (base64 `data`). */
export function bundleTokenSecret(
  namespace: string,
  token: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'astro-dag-sync', namespace },
    type: 'Opaque',
    data: { token: Buffer.from(token).toString('base64') },
  };
}

/**
 * A Deployment of an Airflow component: the Airflow container plus, unless
 * `dagSync` is `'none'`, the `dag-sync-init` init container and the
 * `dag-sync` sidecar (`'init'`: the init container only).
 */
export function airflowComponent(options: {
  namespace: string;
  component: string;
  image?: string;
  url?: string;
  intervalSeconds?: string;
  dagSync?: 'sidecar' | 'init' | 'none';
  airflowEnv?: Array<Record<string, unknown>>;
  replicas?: number;
}): KubernetesObject {
  const image = options.image ?? 'apache/airflow:3.0.2';
  const labels = {
    app: options.component,
    [ASTRO_LABELS.component]: options.component,
  };
  const env = dagSyncEnv(
    options.url ?? 'http://127.0.0.1:1/api/astro/bundles/x',
    options.intervalSeconds ?? '0.05',
  );
  const mode = options.dagSync ?? 'sidecar';
  const syncContainer = (name: string, once: boolean) => ({
    name,
    image,
    command: ['python', '/opt/astro/dag_sync.py', ...(once ? ['--once'] : [])],
    env,
    volumeMounts: [
      { name: 'dags', mountPath: '/opt/airflow/dags' },
      { name: 'dag-sync-script', mountPath: '/opt/astro' },
    ],
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.component, namespace: options.namespace, labels },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: options.component } },
      template: {
        metadata: { labels },
        spec: {
          ...(mode !== 'none'
            ? { initContainers: [syncContainer('dag-sync-init', true)] }
            : {}),
          containers: [
            {
              name: options.component,
              image,
              env: options.airflowEnv ?? [],
              volumeMounts: [{ name: 'dags', mountPath: '/opt/airflow/dags' }],
            },
            ...(mode === 'sidecar' ? [syncContainer('dag-sync', false)] : []),
          ],
          volumes: [
            { name: 'dags', emptyDir: {} },
            { name: 'dag-sync-script', configMap: { name: 'astro-dag-sync' } },
          ],
        },
      },
    },
  };
}

/** The Service of a component (the api-server's or webserver's proxy target). */
export function componentService(
  namespace: string,
  component: string,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: component,
      namespace,
      labels: { app: component, [ASTRO_LABELS.component]: component },
    },
    spec: {
      selector: { app: component },
      ports: [{ name: 'http', port: 8080 }],
    },
  };
}
