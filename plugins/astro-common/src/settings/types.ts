/*
 * Deployment settings as TypeScript types, named from the OpenAPI document
 * whose settings schemas are generated from the zod schema in ./schema.ts.
 */
import type { AstroApiSchemas } from '../api/schemas';

/**
 * A Celery worker queue and the autoscaling bounds of its workers.
 *
 * @public
 */
export type WorkerQueue = AstroApiSchemas['WorkerQueue'];

/**
 * An environment variable of every Airflow component. Secret values are
 * write-only: the API never returns them, so `value` is absent on reads.
 *
 * @public
 */
export type EnvironmentVariable = AstroApiSchemas['EnvironmentVariable'];

/**
 * A hibernation schedule: cron expressions (UTC) for when the Deployment
 * sleeps and when it wakes.
 *
 * @public
 */
export type HibernationSchedule = AstroApiSchemas['HibernationSchedule'];

/**
 * The desired configuration of an Airflow Deployment, with every default
 * applied.
 *
 * @public
 */
export type DeploymentSettings = AstroApiSchemas['DeploymentSettings'];

/**
 * Settings as a client sends them: every field may be left out to take its
 * default.
 *
 * @public
 */
export type DeploymentSettingsInput =
  AstroApiSchemas['DeploymentSettingsInput'];
