/**
 * The fixed limits of the Astro API: lengths and sizes that hold whatever
 * the platform's config says. Config-dependent ranges (worker counts,
 * quotas, the number of variables) are served by `/deployment-options`
 * instead.
 *
 * Every copy of a limit — the zod schemas, the OpenAPI document generated
 * from them, the catalog kinds' JSON schemas, the scaffolder action inputs
 * and the forms — reads it from here.
 *
 * @public
 */
export const LIMITS = {
  /**
   * Longest name of an Organization, Workspace, Deployment or Cluster: every
   * Kubernetes name derived from it (namespaces, workloads, label values)
   * stays within Kubernetes' 63-character limit.
   */
  resourceNameLength: 40,
  /** Longest worker queue name; its worker Deployment is `worker-<queue>`. */
  queueNameLength: 32,
  /** Longest display name. */
  titleLength: 200,
  /** Longest free-text description. */
  descriptionLength: 2000,
  /** Longest entity ref (owners). */
  entityRefLength: 200,
  /** Longest Airflow version string. */
  airflowVersionLength: 50,
  /** Longest Kubernetes quantity string (`500m`, `16Gi`). */
  quantityLength: 20,
  /** Longest environment variable name. */
  environmentVariableKeyLength: 255,
  /** Longest environment variable value. */
  environmentVariableValueLength: 10000,
  /** Longest cron expression. */
  cronExpressionLength: 100,
  /** Longest time zone name of a hibernation schedule. */
  timeZoneLength: 64,
  /** Longest description of a hibernation schedule. */
  scheduleDescriptionLength: 200,
  /** Longest e-mail address (RFC 5321). */
  emailLength: 320,
  /** Longest Git repository URL of a Git DAG bundle. */
  gitRepositoryUrlLength: 500,
  /** Longest Git branch or tag name, and bundle subdirectory. */
  gitRefLength: 255,
  /** Longest container image reference (registry/repository:tag@digest). */
  imageReferenceLength: 500,
  /** Longest description of a deploy. */
  deployDescriptionLength: 500,
  /** Longest name of an API token. */
  tokenNameLength: 100,
  /** Longest Idempotency-Key header. */
  idempotencyKeyLength: 200,
  /**
   * Largest JSON or YAML request body in bytes, deployment files included
   * (the import dialog checks a file's size against it before reading it).
   */
  requestBodyBytes: 1048576,
  /** Largest page of a list. */
  maxPageSize: 500,
  /** Page size when a list request names none. */
  defaultPageSize: 50,
} as const;
