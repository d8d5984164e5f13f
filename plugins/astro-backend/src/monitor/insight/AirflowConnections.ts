import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { ASTRO_LABELS } from '@airflow-portal/plugin-astro-common';
import { DeploymentRecord, DeploymentStore } from '../../store';
import { airflowUiService } from '../../render';
import { airflowMajorVersion } from '../../render/context';
import { WatchedClusters } from '../../engine/WatchedClusters';
import { AirflowCredentialHeaders } from '../AirflowHealthMonitor';
import { AirflowApiAdapter } from './AirflowApiAdapter';
import { AirflowV1Adapter } from './AirflowV1Adapter';
import { AirflowV2Adapter } from './AirflowV2Adapter';
import { AirflowAnswerError, AirflowCall } from './types';

/** A way to talk to one Deployment's Airflow. */
export interface AirflowConnection {
  call: AirflowCall;
  adapter: AirflowApiAdapter;
}

const V2 = new AirflowV2Adapter();
const V1 = new AirflowV1Adapter();

/** Airflow's words for an error: FastAPI's `detail` (text or list), connexion's problem. */
export function detailOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const answer = (parsed ?? {}) as Record<string, unknown>;
  const detail = answer.detail;
  if (typeof detail === 'string' && detail) {
    return detail.slice(0, 500);
  }
  if (Array.isArray(detail)) {
    return detail
      .map(item => {
        const { loc, msg } = (item ?? {}) as { loc?: unknown; msg?: unknown };
        const where = Array.isArray(loc) ? loc.join('.') : '';
        return `${where}${where ? ': ' : ''}${String(msg ?? '')}`;
      })
      .join('; ')
      .slice(0, 500);
  }
  return typeof answer.title === 'string' ? answer.title : undefined;
}

/**
 * Opens requests to Deployments' Airflow REST APIs through their cluster's
 * service proxy, with the backend's service credential, choosing the API
 * version from the Deployment's Airflow version. Refuses with 409 when
 * Airflow is not running: the Deployment is being deleted, hibernates, or
 * its api-server (webserver) has no ready replica; with 503 when the
 * cluster cannot be reached.
 */
export class AirflowConnections {
  constructor(
    private readonly deps: {
      watched: Pick<WatchedClusters, 'get'>;
      credentials: AirflowCredentialHeaders;
    },
  ) {}

  /** The adapter of a Deployment's Airflow version. */
  static adapterFor(airflowVersion: string): AirflowApiAdapter {
    return airflowMajorVersion(airflowVersion) >= 3 ? V2 : V1;
  }

  async open(record: DeploymentRecord): Promise<AirflowConnection> {
    const name = `${record.organization_name}/${record.name}`;
    if (record.deletion_requested_at) {
      throw new ConflictError(
        `The Airflow of Deployment "${name}" is not running: the Deployment is being deleted`,
      );
    }
    if (record.status === 'HIBERNATING') {
      throw new ConflictError(
        `The Airflow of Deployment "${name}" is not running: the Deployment is hibernating`,
      );
    }
    const { airflowVersion } = DeploymentStore.settingsOf(record);
    const service = airflowUiService(airflowVersion);
    let cache;
    try {
      cache = await this.deps.watched.get(record.cluster_name);
    } catch (error) {
      throw new ServiceUnavailableError(
        `The cluster "${
          record.cluster_name
        }" of Deployment "${name}" cannot be reached: ${
          (error as Error).message
        }`,
      );
    }
    const ready = [...cache.objectsOf(record.id).values()].some(
      object =>
        object.kind === 'Deployment' &&
        object.metadata.labels?.[ASTRO_LABELS.component] ===
          service.component &&
        ((object.status as { readyReplicas?: number } | undefined)
          ?.readyReplicas ?? 0) > 0,
    );
    if (!ready) {
      throw new ConflictError(
        `The Airflow of Deployment "${name}" is not running: its ${service.component} has no ready replica (status ${record.status})`,
      );
    }
    const { client } = cache;
    const call: AirflowCall = async (method, path, body) => {
      const request = `${method} ${path.split('?')[0]}`;
      let response;
      try {
        response = await client.proxyRequest({
          method,
          namespace: record.namespace,
          service: service.name,
          port: service.port,
          path,
          headers: await this.deps.credentials.headersFor(record.id),
          ...(body === undefined ? {} : { body }),
        });
      } catch (error) {
        throw new ServiceUnavailableError(
          `The Airflow of Deployment "${name}" did not answer ${request}: ${
            (error as Error).message
          }`,
        );
      }
      if (response.status < 200 || response.status >= 300) {
        throw new AirflowAnswerError(
          request,
          response.status,
          detailOf(response.body),
        );
      }
      try {
        return JSON.parse(response.body);
      } catch {
        throw new ServiceUnavailableError(
          `The Airflow of Deployment "${name}" answered ${request} with something other than JSON`,
        );
      }
    };
    return {
      call,
      adapter: AirflowConnections.adapterFor(airflowVersion),
    };
  }
}
