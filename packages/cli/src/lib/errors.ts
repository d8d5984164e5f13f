import { ResponseError } from '@backstage/errors';

/**
 * The exit codes of the CLI.
 *
 * - 0: done.
 * - 1: the portal refused or failed the request (its message names the
 *   fields), it could not be reached, or a local file is wrong.
 * - 2: the command line is wrong (unknown command or option, a missing or
 *   invalid argument), or there is no portal URL or token to use.
 * - 3: a deploy FAILED, or waiting for it timed out.
 */
export const ExitCode = {
  Ok: 0,
  Error: 1,
  Usage: 2,
  DeployFailed: 3,
} as const;

/** An error the CLI explains itself; its message is shown as is. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = ExitCode.Error) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that cannot be run as given. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
    this.name = 'UsageError';
  }
}

/** How an error is shown: a message, an exit code, and a JSON body. */
export interface DescribedError {
  message: string;
  exitCode: number;
  /** The API's error body, or one in its shape for the CLI's own errors. */
  body: { error: { name: string; message: string }; [key: string]: unknown };
}

const HINTS: Record<number, string> = {
  401: 'the portal did not accept the token: run `airflow-portal login` again, or check AIRFLOW_PORTAL_TOKEN',
  403: 'the token may not do this (API tokens may only read and deploy to their Deployments)',
};

function networkCause(error: unknown): string | undefined {
  if (!(error instanceof TypeError)) {
    return undefined;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause && typeof cause === 'object') {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      return code;
    }
    if (typeof message === 'string') {
      return message;
    }
  }
  return error.message === 'fetch failed' ? 'fetch failed' : undefined;
}

/**
 * Turns what a command threw into what the user sees. The portal's own
 * message is kept word for word (it names the offending fields).
 */
export function describeError(
  error: unknown,
  portalUrl?: string,
): DescribedError {
  if (error instanceof ResponseError) {
    const status = error.response.status;
    const apiError = error.body?.error;
    // @backstage/errors makes up a body of this shape when the answer had
    // none of the portal's (a proxy's page, a route that does not exist).
    const bare =
      !apiError ||
      (apiError.name === 'Error' &&
        apiError.message.startsWith('Request failed with status'));
    const text = bare
      ? `The portal answered HTTP ${status}${
          error.response.statusText ? ` ${error.response.statusText}` : ''
        } without an error of its own`
      : `${apiError.message} (HTTP ${status} ${apiError.name})`;
    const hint =
      HINTS[status] ??
      (status === 404 && bare
        ? 'no such endpoint there: is --url the portal backend, and is the portal recent enough for this command?'
        : undefined);
    return {
      message: `${text}${hint ? `\n  Hint: ${hint}` : ''}`,
      exitCode: ExitCode.Error,
      body: error.body as unknown as DescribedError['body'],
    };
  }
  if (error instanceof CliError) {
    return {
      message: error.message,
      exitCode: error.exitCode,
      body: { error: { name: error.name, message: error.message } },
    };
  }
  if (error instanceof SyntaxError) {
    // openapi-fetch parses every success as JSON: this was not the API.
    const message = `The answer${
      portalUrl ? ` of ${portalUrl}` : ''
    } is not the portal API's (${
      error.message
    }): is --url the portal backend's URL (e.g. http://localhost:7007, not the frontend's :3000)?`;
    return {
      message,
      exitCode: ExitCode.Error,
      body: { error: { name: 'NotThePortalError', message } },
    };
  }
  const cause = networkCause(error);
  if (cause) {
    const message = `Cannot reach the portal${
      portalUrl ? ` at ${portalUrl}` : ''
    }: ${cause}`;
    return {
      message,
      exitCode: ExitCode.Error,
      body: { error: { name: 'NetworkError', message } },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message,
    exitCode: ExitCode.Error,
    body: {
      error: {
        name: error instanceof Error ? error.name : 'Error',
        message,
      },
    },
  };
}
