import { backoffDelay } from '../../lib/backoff';
import { AlertDeliveryError } from './AlertDeliveryError';

/** How webhook deliveries are tried. */
export interface WebhookOptions {
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles for each next one. */
  initialBackoffMs: number;
  /** Time each request may take. */
  timeoutMs: number;
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
function describeRequestError(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return 'the request timed out';
  }
  return `the request failed${e?.cause?.code ? ` (${e.cause.code})` : ''}`;
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
        const response = await fetch(request.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'airflow-portal-alerts/1',
            ...request.headers,
          },
          body: JSON.stringify(request.body),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Drain the body so the connection is released.
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          return attempt;
        }
        error = `the webhook answered HTTP ${response.status}`;
        retry = retriable(response.status);
      } catch (e) {
        error = describeRequestError(e);
        retry = true;
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
