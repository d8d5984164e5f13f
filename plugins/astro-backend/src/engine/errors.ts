import { CustomErrorBase } from '@backstage/errors';

/** Why the engine could not converge a Deployment, beyond cluster errors. */
export type EngineErrorReason =
  /** The stored spec cannot be rendered (e.g. a withdrawn Airflow version). */
  | 'InvalidSpec'
  /** The database migration Job failed. */
  | 'MigrationFailed';

/** A failure of the engine that is not a cluster request failing. */
export class EngineError extends CustomErrorBase {
  name = 'EngineError' as const;

  constructor(readonly reason: EngineErrorReason, message: string) {
    super(message);
  }
}
