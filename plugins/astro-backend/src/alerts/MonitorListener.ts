import { Incident } from '@airflow-portal/plugin-astro-common';

/** The Deployment an incident concerns. */
export interface MonitoredDeployment {
  id: string;
  organization: string;
  workspace: string;
  name: string;
}

/** An incident opened or resolved on a Deployment. */
export interface IncidentEvent {
  incident: Incident;
  deployment: MonitoredDeployment;
}

/** A DAG run that finished, as the monitor saw it. */
export interface DagRunFinishedEvent {
  deploymentId: string;
  dagId: string;
  runId: string;
  state: 'success' | 'failed';
  startDate?: string;
  endDate?: string;
  /** The run in the Airflow UI. */
  url?: string;
}

/**
 * What the monitor tells about Deployments as it watches them: incidents
 * opened and resolved, DAG runs finished. Listeners (alert delivery) act on
 * these; a listener's failure never stops the monitor.
 */
export interface MonitorListener {
  incidentOpened?(e: IncidentEvent): Promise<void>;
  incidentResolved?(e: IncidentEvent): Promise<void>;
  dagRunFinished?(e: DagRunFinishedEvent): Promise<void>;
}
