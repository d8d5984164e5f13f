import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed API call, if it got an answer. */
export function statusOf(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.response.status : undefined;
}

/** The permission a 403 of the backend says the caller lacks. */
export interface PermissionDenial {
  /** The permission's name, e.g. `astro.deployment.update`. */
  permission: string;
  /** The resource ref it was asked for, e.g. `acme/etl`, when named. */
  resourceRef?: string;
}

function backendMessageOf(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.body?.error?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

const DENIAL = /\b(astro(?:\.[a-z][a-z-]*)+)(?: on ([\w.:/-]*[\w/-]))?/;

/**
 * The missing permission of a 403 whose message names it (the backend's
 * `The permission policy denies <permission> on <ref>`); `undefined` for
 * other errors.
 */
export function permissionDenialOf(
  error: unknown,
): PermissionDenial | undefined {
  if (statusOf(error) !== 403) {
    return undefined;
  }
  const match = DENIAL.exec(backendMessageOf(error));
  if (!match) {
    return undefined;
  }
  return match[2]
    ? { permission: match[1], resourceRef: match[2] }
    : { permission: match[1] };
}

/** "You need <permission> on <resource>", the notice for a denial. */
export function permissionNoticeOf(denial: PermissionDenial): string {
  return denial.resourceRef
    ? `You need ${denial.permission} on ${denial.resourceRef}`
    : `You need ${denial.permission}`;
}

/**
 * The message to show for a failed call: for a 403 that names the missing
 * permission, "You need <permission> on <resource>"; otherwise the message
 * the backend gave (`InputError` messages name the field paths), or the
 * error's own message. Every form and action of the plugin shows errors
 * through this.
 */
export function messageOf(error: unknown): string {
  const denial = permissionDenialOf(error);
  return denial ? permissionNoticeOf(denial) : backendMessageOf(error);
}

/**
 * Splits a validation message of the backend (`path: message; path: message`)
 * into messages by field path. Parts without a path are left out.
 */
export function fieldErrorsOf(message: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const part of message.split('; ')) {
    const match = /^([A-Za-z][\w.[\]]*): (.+)$/.exec(part);
    if (match) {
      errors[match[1]] = match[2];
    }
  }
  return errors;
}

/**
 * The parts of a validation message of the backend that name no field
 * (such as the breakdown of a quota that is too small), joined again.
 */
export function unplacedPartsOf(message: string): string | undefined {
  const parts = message
    .split('; ')
    .filter(part => Object.keys(fieldErrorsOf(part)).length === 0);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
