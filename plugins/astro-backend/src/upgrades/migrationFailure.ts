import {
  ClusterClient,
  KubernetesObject,
} from '@airflow-portal/plugin-astro-node';
import { assertError } from '@backstage/errors';

/** How many lines of the migration pod's log the status keeps. */
export const LOG_TAIL_LINES = 20;

/** The most characters of log the status keeps. */
const LOG_TAIL_MAX_CHARS = 4000;

interface JobView {
  status?: {
    conditions?: Array<{
      type?: string;
      status?: string;
      reason?: string;
      message?: string;
    }>;
  };
}

/**
 * Hides credentials a migration log may print: the password of URLs
 * (`postgresql://user:secret@host`) and `password=` / `secret=` pairs.
 */
export function redactLog(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(
      /\b(password|passwd|pwd|secret|token|fernet_key)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
      '$1$2***',
    );
}

/** The Job's Failed condition as `Reason: message`. */
export function jobFailureReason(job: KubernetesObject | undefined): string {
  const failed = (job as JobView | undefined)?.status?.conditions?.find(
    c => c.type === 'Failed' && c.status === 'True',
  );
  if (!failed) {
    return 'the Job failed';
  }
  return [failed.reason, failed.message].filter(Boolean).join(': ');
}

/**
 * The last lines of the log of the Job's newest pod, read through the
 * pod log endpoint, credentials redacted; a note instead when there is no
 * pod or its log cannot be read.
 */
export async function migrationLogTail(
  client: Pick<ClusterClient, 'list' | 'podLog'>,
  namespace: string,
  jobName: string,
): Promise<string> {
  try {
    const pods = await client.list(
      { apiVersion: 'v1', kind: 'Pod', namespace },
      { labelSelector: `job-name=${jobName}` },
    );
    const newest = [...pods.items].sort((a, b) =>
      String(b.metadata.creationTimestamp ?? '').localeCompare(
        String(a.metadata.creationTimestamp ?? ''),
      ),
    )[0];
    if (!newest) {
      return `(no pod of Job ${jobName} is left to read a log from)`;
    }
    const log = await client.podLog({
      namespace,
      pod: newest.metadata.name,
      tailLines: LOG_TAIL_LINES,
    });
    const text = redactLog(log).trimEnd();
    return text.length > LOG_TAIL_MAX_CHARS
      ? `…${text.slice(text.length - LOG_TAIL_MAX_CHARS)}`
      : text;
  } catch (error) {
    assertError(error);
    return `(the log of Job ${jobName} could not be read: ${error.message})`;
  }
}
