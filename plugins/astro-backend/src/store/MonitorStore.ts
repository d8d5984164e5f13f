import { HealthSample } from '@airflow-portal/plugin-astro-common';
import { Db, toIso } from './util';

interface SampleRow {
  id: number | string;
  deployment_id: string;
  sampled_at: Date | string | number;
  status: HealthSample['status'];
  components: string;
  scheduler_heartbeat: string | null;
}

function toSample(row: SampleRow): HealthSample {
  return {
    timestamp: toIso(row.sampled_at),
    status: row.status,
    components: JSON.parse(row.components),
    ...(row.scheduler_heartbeat
      ? { schedulerHeartbeat: row.scheduler_heartbeat }
      : {}),
  };
}

/** Health samples of Deployments. */
export class MonitorStore {
  constructor(private readonly db: Db) {}

  async insertSample(deploymentId: string, sample: HealthSample) {
    await this.db('health_samples').insert({
      deployment_id: deploymentId,
      sampled_at: new Date(sample.timestamp),
      status: sample.status,
      components: JSON.stringify(sample.components),
      scheduler_heartbeat: sample.schedulerHeartbeat ?? null,
    });
  }

  async latestSample(deploymentId: string): Promise<HealthSample | undefined> {
    const row = await this.db<SampleRow>('health_samples')
      .where({ deployment_id: deploymentId })
      .orderBy('id', 'desc')
      .first();
    return row ? toSample(row) : undefined;
  }

  /** Samples since a time, oldest first. */
  async history(deploymentId: string, since: Date): Promise<HealthSample[]> {
    const rows = await this.db<SampleRow>('health_samples')
      .where({ deployment_id: deploymentId })
      .where('sampled_at', '>=', since)
      .orderBy('id', 'asc')
      .limit(2000);
    return rows.map(toSample);
  }

  async deleteSamplesBefore(before: Date): Promise<number> {
    return this.db('health_samples').where('sampled_at', '<', before).delete();
  }
}
