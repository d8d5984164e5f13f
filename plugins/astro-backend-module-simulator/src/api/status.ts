/**
 * Kubernetes `Status` objects, the body of every failed API request, shaped
 * the way a real API server sends them.
 */

/** A cause of a failure, e.g. one invalid field or one conflicting manager. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** A `v1 Status`. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

/** An API failure carrying the `Status` to answer with. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: Status['details'],
): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

/** Names a resource in messages: `deployments.apps`, or `pods` for core. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

/** Builders of the failures the simulator answers with. */
export const statusErrors = {
  notFound(group: string, plural: string, name = ''): StatusError {
    return failure(
      404,
      'NotFound',
      `${qualifiedResource(group, plural)} "${name}" not found`,
      { name, group: group || undefined, kind: plural },
    );
  },
  unknownPath(): StatusError {
    return failure(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    );
  },
  alreadyExists(group: string, plural: string, name = ''): StatusError {
    return failure(
      409,
      'AlreadyExists',
      `${qualifiedResource(group, plural)} "${name}" already exists`,
      { name, group: group || undefined, kind: plural },
    );
  },
  conflict(message: string, causes: StatusCause[]): StatusError {
    return failure(409, 'Conflict', message, { causes });
  },
  invalid(
    kind: string,
    group: string,
    name: string | undefined,
    causes: StatusCause[],
  ): StatusError {
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    const summary = causes
      .map(cause =>
        cause.field ? `${cause.field}: ${cause.message}` : cause.message,
      )
      .join(', ');
    return failure(
      422,
      'Invalid',
      `${qualifiedKind} "${name ?? ''}" is invalid: ${summary}`,
      { name: name ?? '', group: group || undefined, kind, causes },
    );
  },
  /**
   * `422 Invalid` without an object, as the API server answers a patch
   * that does not apply (e.g. a failed JSON patch `test`).
   */
  unprocessable(detail: string): StatusError {
    return failure(
      422,
      'Invalid',
      `the server rejected our request due to an error in our request: ${detail}`,
    );
  },
  badRequest(message: string): StatusError {
    return failure(400, 'BadRequest', message);
  },
  forbidden(
    group: string,
    plural: string,
    name: string | undefined,
    message: string,
  ): StatusError {
    return failure(
      403,
      'Forbidden',
      `${qualifiedResource(group, plural)} "${
        name ?? ''
      }" is forbidden: ${message}`,
      { name: name ?? '', group: group || undefined, kind: plural },
    );
  },
  unauthorized(): StatusError {
    return failure(401, 'Unauthorized', 'Unauthorized');
  },
  methodNotAllowed(method: string): StatusError {
    return failure(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method})`,
    );
  },
  unsupportedMediaType(contentType: string): StatusError {
    return failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (JSON only in the simulator); got ${contentType}`,
    );
  },
  notAcceptable(message: string): StatusError {
    return failure(406, 'NotAcceptable', message);
  },
  gone(message: string): StatusError {
    return failure(410, 'Expired', message);
  },
  serviceUnavailable(message: string): StatusError {
    return failure(503, 'ServiceUnavailable', message);
  },
  internal(message: string): StatusError {
    return failure(500, 'InternalError', message);
  },
  tooManyRequests(): StatusError {
    return failure(
      429,
      'TooManyRequests',
      'the simulator throttled the request',
      {
        retryAfterSeconds: 1,
      },
    );
  },
};

/** A successful `Status`, as some deletes answer. */
export function successStatus(details: Status['details']): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    message: '',
    details,
    code: 200,
  };
}
