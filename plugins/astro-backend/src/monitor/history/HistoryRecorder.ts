import { DeploymentStatus } from '@airflow-portal/plugin-astro-common';
import {
  HistoryObservation,
  HistoryRunCounts,
  HistoryStore,
} from '../../store';
import {
  DeploymentObservation,
  HeartbeatReading,
} from '../incidents/evaluateIncidents';
import { FinishedRun } from '../pass/advanceWatermark';
import { HistorySettings } from './readHistorySettings';

function ageSeconds(
  reading: HeartbeatReading | null | undefined,
  now: Date,
): number | undefined {
  const latest = reading?.latestHeartbeat;
  const at = latest ? Date.parse(latest) : NaN;
  return Number.isNaN(at) ? undefined : (now.getTime() - at) / 1000;
}

/**
 * Writes the monitoring pass's observations into the Deployments' history.
 * It asks nobody: everything comes from what the pass has just observed
 * (the health probe's heartbeats, the watch caches' worker queues, the
 * status) and the finished runs it has just announced.
 */
export class HistoryRecorder {
  constructor(
    private readonly deps: {
      history: HistoryStore;
      settings: HistorySettings;
    },
  ) {}

  get settings(): HistorySettings {
    return this.deps.settings;
  }

  /** The start of the bucket holding `time`. */
  bucketOf(time: Date | number): Date {
    const { bucketMs } = this.deps.settings;
    const ms = typeof time === 'number' ? time : time.getTime();
    return new Date(Math.floor(ms / bucketMs) * bucketMs);
  }

  /**
   * Records one observation in its bucket, and the runs announced with it
   * in the buckets they ended in (a run ending after the observation, by
   * clock skew, counts in the observation's bucket; one ending before the
   * retention is not recorded).
   */
  async record(
    deploymentId: string,
    observation: DeploymentObservation,
    status: DeploymentStatus,
    runs: readonly FinishedRun[],
  ): Promise<void> {
    const { now } = observation;
    const bucketStart = this.bucketOf(now);
    const queues = observation.workerQueues;
    const entry: HistoryObservation = {
      bucketStart,
      status,
      heartbeatAgeSeconds: {
        scheduler: ageSeconds(observation.heartbeats?.scheduler, now),
        triggerer: ageSeconds(observation.heartbeats?.triggerer, now),
        dagProcessor: ageSeconds(
          observation.heartbeats?.['dag-processor'],
          now,
        ),
      },
      ...(queues.length > 0
        ? {
            workers: {
              desired: queues.reduce((sum, q) => sum + q.desiredWorkers, 0),
              ready: queues.reduce((sum, q) => sum + q.readyWorkers, 0),
            },
          }
        : {}),
    };
    await this.deps.history.recordObservation(deploymentId, entry, now);

    const oldest = now.getTime() - this.deps.settings.retentionMs;
    const byBucket = new Map<number, HistoryRunCounts>();
    for (const run of runs) {
      const ended = Date.parse(run.endDate);
      if (Number.isNaN(ended) || ended < oldest) {
        continue;
      }
      const start = this.bucketOf(Math.min(ended, now.getTime()));
      const counts = byBucket.get(start.getTime()) ?? {
        bucketStart: start,
        success: 0,
        failed: 0,
      };
      counts[run.state === 'success' ? 'success' : 'failed'] += 1;
      byBucket.set(start.getTime(), counts);
    }
    if (byBucket.size > 0) {
      await this.deps.history.addRuns(
        deploymentId,
        [...byBucket.values()],
        now,
      );
    }
  }

  /** Deletes the points older than the retention. */
  async deleteExpired(now: Date): Promise<number> {
    return this.deps.history.deleteBefore(
      new Date(now.getTime() - this.deps.settings.retentionMs),
    );
  }
}
