import { CustomErrorBase } from '@backstage/errors';

/**
 * Why a request to a cluster failed, in terms the reconciler and the UI can
 * explain to a user.
 *
 * @public
 */
export type ClusterErrorReason =
  /** The API server could not be reached (DNS, connection refused, TLS). */
  | 'Unreachable'
  /** The request took longer than its timeout. */
  | 'Timeout'
  /** 401: the credentials were not accepted. */
  | 'Unauthorized'
  /** 403: the credentials lack a permission. */
  | 'Forbidden'
  /** 404 on something that had to exist. */
  | 'NotFound'
  /** 409: a conflict with another field manager or a concurrent change. */
  | 'Conflict'
  /** 422 or 400: the object was rejected as invalid. */
  | 'Invalid'
  /** 403 from a ResourceQuota admission: the namespace's quota is exhausted. */
  | 'QuotaExceeded'
  /** 410: a watch asked for a resource version that is too old. */
  | 'Gone'
  /** 5xx from the API server. */
  | 'ServerError'
  | 'Unknown';

/**
 * A failed request to a cluster.
 *
 * @public
 */
export class ClusterError extends CustomErrorBase {
  name = 'ClusterError' as const;

  constructor(
    readonly reason: ClusterErrorReason,
    message: string,
    readonly statusCode?: number,
    cause?: Error | unknown,
  ) {
    super(message, cause);
  }
}

/**
 * Whether `error` is a {@link ClusterError}, optionally of the given reasons.
 *
 * @public
 */
export function isClusterError(
  error: unknown,
  ...reasons: ClusterErrorReason[]
): error is ClusterError {
  return (
    error instanceof Error &&
    error.name === 'ClusterError' &&
    (reasons.length === 0 || reasons.includes((error as ClusterError).reason))
  );
}
