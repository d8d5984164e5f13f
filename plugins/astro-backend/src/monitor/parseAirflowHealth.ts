import {
  AirflowComponentHealth,
  HealthSample,
} from '@airflow-portal/plugin-astro-common';
import { heartbeatsOf } from './insight/AirflowApiAdapter';
import type { DeploymentObservation } from './incidents/evaluateIncidents';

/** Components of Airflow's health answer and the keys they appear under. */
const COMPONENTS = ['metadatabase', 'scheduler', 'triggerer', 'dag_processor'];

/**
 * Reads Airflow's health answer (`/api/v2/monitor/health` on Airflow 3,
 * `/health` on Airflow 2) into a sample. Components Airflow does not report
 * (a triggerer-less Airflow 2) are left out rather than counted unhealthy.
 */
export function parseAirflowHealth(
  response: { status: number; body: string },
  now: Date,
): HealthSample {
  const timestamp = now.toISOString();
  if (response.status !== 200) {
    return {
      timestamp,
      status: response.status === 503 ? 'UNHEALTHY' : 'UNKNOWN',
      components: {
        'api-server': response.status === 503 ? 'unhealthy' : 'unknown',
      },
    };
  }
  let body: Record<
    string,
    {
      status?: string | null;
      latest_scheduler_heartbeat?: string | null;
    } | null
  >;
  try {
    body = JSON.parse(response.body);
  } catch {
    return { timestamp, status: 'UNKNOWN', components: {} };
  }
  const components: Record<string, AirflowComponentHealth> = {};
  for (const name of COMPONENTS) {
    const status = body?.[name]?.status;
    if (status === 'healthy' || status === 'unhealthy') {
      components[name] = status;
    } else if (body?.[name] && status !== null && status !== undefined) {
      components[name] = 'unknown';
    }
  }
  const heartbeat = body?.scheduler?.latest_scheduler_heartbeat ?? undefined;
  const values = Object.values(components);
  let status: HealthSample['status'] = 'HEALTHY';
  if (values.length === 0) {
    status = 'UNKNOWN';
  } else if (values.includes('unhealthy')) {
    status = 'UNHEALTHY';
  }
  return {
    timestamp,
    status,
    components,
    ...(heartbeat ? { schedulerHeartbeat: heartbeat } : {}),
  };
}

/**
 * The heartbeats of the scheduler, triggerer and DAG processor in
 * Airflow's health answer; `undefined` unless it answered 200 with JSON.
 * A component Airflow does not report (no DAG processor on Airflow 2.9) is
 * `null`.
 */
export function parseHeartbeats(response: {
  status: number;
  body: string;
}): DeploymentObservation['heartbeats'] {
  if (response.status !== 200) {
    return undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return undefined;
  }
  const beats = heartbeatsOf(body);
  return {
    scheduler: beats.scheduler,
    triggerer: beats.triggerer,
    'dag-processor': beats.dagProcessor,
  };
}
