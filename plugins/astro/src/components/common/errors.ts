import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed API call, if it got an answer. */
export function statusOf(error: unknown): number | undefined {
  return ResponseError.is(error) ? error.response.status : undefined;
}

/**
 * The message the backend gave for a failed call (`InputError` messages name
 * the field paths), or the error's own message.
 */
export function messageOf(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.body?.error?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
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
