import type { ResourceSize } from '@airflow-portal/plugin-astro-common';

/**
 * Resources of the components whose size the settings do not choose. The
 * scheduler and the DAG processor take the scheduler size; workers take
 * their queue's worker machine.
 */
export const COMPONENT_RESOURCES = {
  apiServer: { cpu: '1', memory: '2Gi' },
  triggerer: { cpu: '500m', memory: '1Gi' },
  migration: { cpu: '500m', memory: '1Gi' },
  pgbouncer: { cpu: '250m', memory: '256Mi' },
  redis: { cpu: '250m', memory: '512Mi' },
  postgres: { cpu: '500m', memory: '1Gi' },
  /** DAG sync init container and sidecar: one download and unpack at a time. */
  dagSync: { cpu: '100m', memory: '256Mi' },
  /** git-sync init container and sidecar: a shallow clone and fetches. */
  gitSync: { cpu: '100m', memory: '512Mi' },
} satisfies Record<string, ResourceSize>;

/** Storage of the in-namespace PostgreSQL. */
export const POSTGRES_STORAGE = '8Gi';

/** Storage of Redis's append-only file (the Celery broker's queued messages). */
export const REDIS_STORAGE = '1Gi';
