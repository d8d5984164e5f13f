import { Executor, ResourceSize, SchedulerSize } from './options';

/**
 * A Celery worker queue and the autoscaling bounds of its workers.
 *
 * @public
 */
export interface WorkerQueue {
  /** Queue name; tasks choose it with `queue=`. */
  name: string;
  /** The queue tasks go to when they name none. Exactly one queue is it. */
  isDefault: boolean;
  /** Worker machine type, e.g. `A5`. */
  workerSize: string;
  minWorkers: number;
  maxWorkers: number;
  /** Tasks one worker runs at once. */
  concurrency: number;
}

/**
 * An environment variable of every Airflow component. Secret values are
 * write-only: the API never returns them, so `value` is absent on reads.
 *
 * @public
 */
export interface EnvironmentVariable {
  key: string;
  value?: string;
  secret: boolean;
}

/**
 * A hibernation schedule: cron expressions (UTC) for when the Deployment
 * sleeps and when it wakes.
 *
 * @public
 */
export interface HibernationSchedule {
  hibernateAt: string;
  wakeAt: string;
  description?: string;
  enabled: boolean;
}

/**
 * The desired configuration of an Airflow Deployment, with every default
 * applied.
 *
 * @public
 */
export interface DeploymentSettings {
  airflowVersion: string;
  executor: Executor;
  schedulerSize: SchedulerSize;
  /** Two schedulers (and PodDisruptionBudgets) instead of one. */
  highAvailability: boolean;
  /** Celery worker queues; empty with the Kubernetes executor. */
  workerQueues: WorkerQueue[];
  environmentVariables: EnvironmentVariable[];
  /** Total CPU and memory the Deployment's namespace may request. */
  resourceQuota: ResourceSize;
  /** Resources of a task pod (Kubernetes executor / KubernetesPodOperator). */
  defaultTaskPodSize: ResourceSize;
  /** Seconds running tasks get to finish when a worker stops. */
  workerGracePeriodSeconds: number;
  hibernation: { schedules: HibernationSchedule[] };
  contactEmails: string[];
}

/**
 * Settings as a client sends them: every field may be left out to take its
 * default.
 *
 * @public
 */
export type DeploymentSettingsInput = {
  [K in keyof DeploymentSettings]?: K extends 'workerQueues'
    ? Array<Partial<WorkerQueue> & { name: string }>
    : K extends 'environmentVariables'
    ? Array<{ key: string; value?: string; secret?: boolean }>
    : K extends 'hibernation'
    ? {
        schedules?: Array<
          Omit<HibernationSchedule, 'enabled'> & { enabled?: boolean }
        >;
      }
    : DeploymentSettings[K];
};
