/**
 * Maps what can go wrong talking to a Kubernetes API server to
 * {@link ClusterError}s: transport failures (unreachable, timeout) and HTTP
 * answers with a `Status` body. Messages name the cluster and the request,
 * never credentials.
 */
import {
  ClusterError,
  ClusterErrorReason,
} from '@airflow-portal/plugin-astro-node';

/** The parts of a Kubernetes `Status` the mapping reads. */
interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ message?: string; field?: string }> };
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function parseStatus(body: string): StatusBody | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed)
    ) {
      const record: Record<string, unknown> = { ...parsed };
      const details =
        typeof record.details === 'object' && record.details !== null
          ? { ...record.details }
          : undefined;
      const causes =
        details && 'causes' in details && Array.isArray(details.causes)
          ? details.causes
              .filter(
                (cause: unknown): cause is Record<string, unknown> =>
                  typeof cause === 'object' && cause !== null,
              )
              .map(cause => ({
                message:
                  typeof cause.message === 'string' ? cause.message : undefined,
                field:
                  typeof cause.field === 'string' ? cause.field : undefined,
              }))
          : undefined;
      return {
        message:
          typeof record.message === 'string' ? record.message : undefined,
        reason: typeof record.reason === 'string' ? record.reason : undefined,
        details: causes ? { causes } : undefined,
      };
    }
  } catch {
    // Not JSON: the status code alone decides.
  }
  return undefined;
}

/** The reason of an HTTP status (and message, for quota rejections). */
export function reasonForStatus(
  statusCode: number,
  message = '',
): ClusterErrorReason {
  switch (statusCode) {
    case 400:
    case 422:
      return 'Invalid';
    case 401:
      return 'Unauthorized';
    case 403:
      return /exceeded quota/i.test(message) ? 'QuotaExceeded' : 'Forbidden';
    case 404:
      return 'NotFound';
    case 408:
    case 504:
      return 'Timeout';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    default:
      return statusCode === 429 || statusCode >= 500
        ? 'ServerError'
        : 'Unknown';
  }
}

/** A ClusterError from an HTTP answer and its (Status) body. */
export function errorFromResponse(
  what: string,
  statusCode: number,
  body: string,
): ClusterError {
  const status = parseStatus(body);
  const causes = (status?.details?.causes ?? [])
    .map(cause =>
      [cause.message, cause.field]
        .filter(part => part !== undefined)
        .join(': '),
    )
    .filter(text => text.length > 0);
  const message = status?.message ?? `HTTP ${statusCode}`;
  const detail =
    causes.length > 0 && !causes.every(cause => message.includes(cause))
      ? ` (${causes.join('; ')})`
      : '';
  return new ClusterError(
    reasonForStatus(statusCode, message),
    `${what}: ${message}${detail}`,
    statusCode,
  );
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string') {
    return code;
  }
  const cause = 'cause' in error ? error.cause : undefined;
  return cause && cause !== error ? codeOf(cause) : undefined;
}

/** Codes of a connection the server closed or reset under a request. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Whether a request failed because its connection was closed before any
 * answer came (reset, broken pipe, hang-up), as opposed to a refused or
 * unresolvable server, a TLS failure or a timeout. A `ClusterError`
 * already mapped does not qualify: it may stand for an answer.
 */
export function isClosedBeforeAnswer(error: unknown): boolean {
  if (error instanceof ClusterError || !(error instanceof Error)) {
    return false;
  }
  if (error.name === 'AbortError' || error.name === 'TimeoutError') {
    return false;
  }
  const code = codeOf(error);
  return (
    (code !== undefined && CLOSED_CODES.has(code)) ||
    /socket hang up/i.test(error.message)
  );
}

/** A ClusterError from a failure to get an answer at all. */
export function errorFromException(
  what: string,
  error: unknown,
  timeoutMs?: number,
): ClusterError {
  if (error instanceof ClusterError) {
    return error;
  }
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new ClusterError(
      'Timeout',
      `${what}: no answer within ${timeoutMs ?? '?'} ms`,
      undefined,
      error,
    );
  }
  const statusCode =
    typeof error === 'object' &&
    error !== null &&
    'statusCode' in error &&
    typeof error.statusCode === 'number'
      ? error.statusCode
      : undefined;
  if (statusCode !== undefined) {
    return new ClusterError(
      reasonForStatus(statusCode, message),
      `${what}: HTTP ${statusCode} ${message}`,
      statusCode,
      error,
    );
  }
  const code = codeOf(error);
  if (
    (code && UNREACHABLE_CODES.has(code)) ||
    name === 'FetchError' ||
    /premature close|socket hang up/i.test(message)
  ) {
    return new ClusterError(
      'Unreachable',
      `${what}: the API server cannot be reached (${code ?? message})`,
      undefined,
      error,
    );
  }
  return new ClusterError('Unknown', `${what}: ${message}`, undefined, error);
}
