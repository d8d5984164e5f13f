import { Incident } from '@airflow-portal/plugin-astro-common';

/** The Deployment an announcement concerns. */
export interface MonitoredDeployment {
  id: string;
  organization: string;
  workspace: string;
  name: string;
}

/** An incident the monitoring pass opened or resolved. */
export interface IncidentAnnouncement {
  incident: Incident;
  deployment: MonitoredDeployment;
}

/** A DAG run the monitoring pass saw finish (once per run). */
export interface DagRunFinished {
  deploymentId: string;
  dagId: string;
  runId: string;
  state: 'success' | 'failed';
  startDate: string | null;
  endDate: string | null;
  /** The run's page in the Airflow UI, when the Deployment has one. */
  url?: string;
}

/**
 * What other code (alerting, notifications) learns from the monitoring
 * pass. Each announcement is made once across passes and replicas: an
 * incident is announced by the pass that opened (resolved) it, a run by
 * the pass that advanced the watermark past it. Listeners are called after
 * the change is committed; a listener that throws is logged and does not
 * stop the pass or the other listeners.
 */
export interface MonitorListener {
  incidentOpened?(announcement: IncidentAnnouncement): Promise<void> | void;
  incidentResolved?(announcement: IncidentAnnouncement): Promise<void> | void;
  dagRunFinished?(run: DagRunFinished): Promise<void> | void;
}

/** Calls one method of every listener, logging (not throwing) failures. */
export async function notifyListeners<K extends keyof MonitorListener>(
  listeners: readonly MonitorListener[],
  method: K,
  payload: Parameters<NonNullable<MonitorListener[K]>>[0],
  onError: (error: unknown) => void,
): Promise<void> {
  for (const listener of listeners) {
    const fn = listener[method] as
      | ((value: typeof payload) => Promise<void> | void)
      | undefined;
    if (!fn) {
      continue;
    }
    try {
      await fn.call(listener, payload);
    } catch (error) {
      onError(error);
    }
  }
}

/**
 * A listener whose work (alert delivery with webhook retries, say) runs
 * beside the pass instead of holding it up; failures are logged.
 */
export function detachedListener(
  listener: MonitorListener,
  onError: (error: unknown) => void,
): MonitorListener {
  const detach = <T>(fn?: (value: T) => Promise<void> | void) =>
    fn &&
    ((value: T) => {
      Promise.resolve()
        .then(() => fn.call(listener, value))
        .catch(onError);
    });
  return {
    incidentOpened: detach(listener.incidentOpened),
    incidentResolved: detach(listener.incidentResolved),
    dagRunFinished: detach(listener.dagRunFinished),
  };
}
