import { backoffDelay } from '../../lib/backoff';
import { AlertDeliveryError } from './AlertDeliveryError';
import { postJson, RequestFailed } from './postJson';
import {
  PRIVATE_TARGET_REASON,
  WebhookTargetPolicy,
} from './WebhookTargetPolicy';

/** How webhook deliveries are tried. */
export interface WebhookOptions {
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles for each next one. */
  initialBackoffMs: number;
  /** Time each request may take. */
  timeoutMs: number;
  /** Which hosts webhooks may reach. */
  targets: WebhookTargetPolicy;
}

/** Whether a failed request is worth trying again. */
function retriable(status: number) {
  return status === 408 || status === 429 || status >= 500;
}

/** Replaces every secret in a text, so an error never carries one. */
export function redact(text: string, secrets: string[]): string {
  return secrets
    .filter(secret => secret.length > 0)
    .reduce((result, secret) => result.split(secret).join('***'), text);
}

/** What a failed request says, without its URL (which may be the secret). */
function describeRequestError(error: unknown): {
  message: string;
  retry: boolean;
} {
  if (error instanceof RequestFailed && error.code === 'EPRIVATETARGET') {
    return { message: `the webhook ${PRIVATE_TARGET_REASON}`, retry: false };
  }
  if (error instanceof RequestFailed) {
    return {
      message: `${error.message}${error.code ? ` (${error.code})` : ''}`,
      retry: true,
    };
  }
  return { message: 'the request failed', retry: true };
}

/**
 * POSTs JSON to webhooks (generic and Slack-compatible), retrying
 * network errors, timeouts, 408, 429 and 5xx with exponential backoff up
 * to a bounded number of attempts. Errors it throws name the status or
 * the network failure, never the URL or header values.
 */
export class WebhookChannel {
  constructor(
    private readonly options: WebhookOptions,
    private readonly sleep: (ms: number) => Promise<void> = ms =>
      new Promise(resolve => setTimeout(resolve, ms)),
  ) {}

  /**
   * Sends one body; resolves with the number of attempts it took, or
   * throws an {@link AlertDeliveryError} with the attempts made.
   * `onAttemptFailed` hears of every failed attempt that is retried.
   */
  async post(request: {
    url: string;
    body: unknown;
    headers?: Record<string, string>;
    /** Values that must not appear in any error. */
    secrets: string[];
    onAttemptFailed?: (attempts: number, error: string) => Promise<void>;
  }): Promise<number> {
    const { maxAttempts, initialBackoffMs, timeoutMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      let error: string;
      let retry: boolean;
      try {
        const url = new URL(request.url);
        const refused = this.options.targets.refusalOf(url);
        if (refused) {
          throw new RequestFailed(refused, 'EPRIVATETARGET');
        }
        const status = await postJson(url, {
          body: request.body,
          headers: {
            'user-agent': 'airflow-portal-alerts/1',
            ...request.headers,
          },
          timeoutMs,
          lookup: this.options.targets.lookup,
        });
        if (status >= 200 && status < 300) {
          return attempt;
        }
        error = `the webhook answered HTTP ${status}`;
        retry = retriable(status);
      } catch (e) {
        ({ message: error, retry } = describeRequestError(e));
      }
      error = redact(error, request.secrets);
      if (!retry || attempt >= maxAttempts) {
        throw new AlertDeliveryError(
          `${error} (attempt ${attempt} of ${maxAttempts})`,
          attempt,
        );
      }
      await request.onAttemptFailed?.(attempt, error);
      await this.sleep(
        backoffDelay(attempt, {
          initialMs: initialBackoffMs,
          maxMs: initialBackoffMs * 16,
          jitter: 0.5,
        }),
      );
    }
  }
}
