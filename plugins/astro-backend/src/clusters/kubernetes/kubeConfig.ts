import type { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterConnection,
  ClusterError,
} from '@airflow-portal/plugin-astro-node';
import { ClientNode } from './clientNode';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a URL is plain HTTP to this machine (like the simulator). */
export function isLoopbackHttp(server: string): boolean {
  try {
    const url = new URL(server);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

function invalid(
  cluster: string,
  message: string,
  cause?: unknown,
): ClusterError {
  return new ClusterError(
    'Invalid',
    `Cluster "${cluster}": ${message}`,
    undefined,
    cause,
  );
}

/**
 * Builds the client-node `KubeConfig` of a connection: a kubeconfig file
 * (and context), in-cluster credentials, or a server URL with a bearer
 * token and CA. client-node refuses plain `http:` servers unless TLS
 * verification is off; for loopback servers such as the simulator, where
 * there is no TLS to verify, the driver turns it off itself.
 */
export function createKubeConfig(
  k8s: ClientNode,
  clusterName: string,
  connection: ClusterConnection,
): KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    if (connection.kubeconfig) {
      kc.loadFromFile(connection.kubeconfig.path);
      if (connection.kubeconfig.context) {
        if (!kc.getContextObject(connection.kubeconfig.context)) {
          throw invalid(
            clusterName,
            `context "${connection.kubeconfig.context}" not found in ${connection.kubeconfig.path}`,
          );
        }
        kc.setCurrentContext(connection.kubeconfig.context);
      }
    } else if (connection.inCluster) {
      kc.loadFromCluster();
    } else if (connection.server) {
      const server = connection.server.replace(/\/+$/, '');
      kc.loadFromOptions({
        clusters: [
          {
            name: clusterName,
            server,
            caData: connection.caData,
            caFile: connection.caFile,
            skipTLSVerify:
              connection.skipTLSVerify === true || isLoopbackHttp(server),
          },
        ],
        users: [{ name: clusterName, token: connection.token }],
        contexts: [
          { name: clusterName, cluster: clusterName, user: clusterName },
        ],
        currentContext: clusterName,
      });
    } else {
      throw invalid(
        clusterName,
        'the connection needs a server URL, a kubeconfig file or inCluster',
      );
    }
  } catch (error) {
    if (error instanceof ClusterError) {
      throw error;
    }
    throw invalid(
      clusterName,
      `cannot load its credentials: ${
        error instanceof Error ? error.message : String(error)
      }`,
      error,
    );
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw invalid(clusterName, 'its kubeconfig names no current cluster');
  }
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw invalid(
      clusterName,
      `${cluster.server} is plain HTTP; set skipTLSVerify to allow it (only loopback servers are allowed without)`,
    );
  }
  return kc;
}
