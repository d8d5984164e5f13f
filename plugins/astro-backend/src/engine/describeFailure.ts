import { isClusterError } from '@airflow-portal/plugin-astro-node';
import { EngineFailure } from '../store';

/** Words a user can act on, for each way a pass can fail. */
export function describeFailure(
  error: unknown,
  cluster: string,
): EngineFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (isClusterError(error)) {
    switch (error.reason) {
      case 'Unreachable':
      case 'Timeout':
        return {
          message: `Cluster ${cluster} is unreachable: ${message}`,
          unreachable: true,
        };
      case 'Unauthorized':
      case 'Forbidden':
        return {
          message: `Cluster ${cluster} refused the platform's credentials: ${message}`,
          unreachable: true,
        };
      case 'Conflict':
        return {
          message: `Conflict with another field manager on cluster ${cluster}: ${message}`,
          unreachable: false,
        };
      case 'QuotaExceeded':
        return {
          message: `Resource quota exceeded: ${message}`,
          unreachable: false,
        };
      case 'Invalid':
        return {
          message: `Cluster ${cluster} rejected an object as invalid: ${message}`,
          unreachable: false,
        };
      default:
        return {
          message: `Cluster ${cluster} failed a request: ${message}`,
          unreachable: false,
        };
    }
  }
  return { message, unreachable: false };
}
