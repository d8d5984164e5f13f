/**
 * What the simulated Airflow reads from its namespace on every request, as
 * the rendered Airflow reads it from its environment: the JWT key
 * (`[api_auth] jwt_secret`, Secret `airflow-keys`, key `jwt-secret`) and the
 * portal's page of the Deployment (ConfigMap `airflow-config`). Nothing is
 * cached, so every simulated replica and a restarted pod see the same key,
 * and a rotated key ends every session signed with the old one.
 */
import { ResourceCatalog } from '../api/resources';
import { ObjectStore } from '../store/ObjectStore';
import { at, stringMap } from '../store/objects';

const SECRET = ResourceCatalog.kind('Secret');
const CONFIG_MAP = ResourceCatalog.kind('ConfigMap');

/** Names the renderer gives the objects read here. */
export const AIRFLOW_OBJECTS = {
  keysSecret: 'airflow-keys',
  jwtSecretKey: 'jwt-secret',
  configMap: 'airflow-config',
  portalDeploymentUrl: 'AIRFLOW_PORTAL_DEPLOYMENT_URL',
} as const;

/**
 * The bytes of the namespace's JWT key, or `undefined` when the Secret or
 * its key is missing or empty. `data` is base64 (what an API server
 * stores); `stringData` is honoured as a real API server folds it in.
 */
export function readJwtKey(
  store: ObjectStore,
  namespace: string,
): Uint8Array | undefined {
  const secret = store.get(SECRET, namespace, AIRFLOW_OBJECTS.keysSecret);
  if (!secret) {
    return undefined;
  }
  const encoded = stringMap(secret.data)[AIRFLOW_OBJECTS.jwtSecretKey];
  const key =
    encoded !== undefined
      ? Buffer.from(encoded, 'base64')
      : Buffer.from(
          stringMap(at(secret, 'stringData'))[AIRFLOW_OBJECTS.jwtSecretKey] ??
            '',
          'utf8',
        );
  return key.length > 0 ? new Uint8Array(key) : undefined;
}

/**
 * The portal page of the Deployment (`AIRFLOW_PORTAL_DEPLOYMENT_URL` in
 * ConfigMap `airflow-config`), when it is an http(s) URL.
 */
export function readPortalDeploymentUrl(
  store: ObjectStore,
  namespace: string,
): string | undefined {
  const configMap = store.get(CONFIG_MAP, namespace, AIRFLOW_OBJECTS.configMap);
  const value = stringMap(configMap?.data)[AIRFLOW_OBJECTS.portalDeploymentUrl];
  if (!value) {
    return undefined;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? url.toString()
      : undefined;
  } catch {
    return undefined;
  }
}
