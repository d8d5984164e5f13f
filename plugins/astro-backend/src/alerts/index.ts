export { AlertDispatcher } from './AlertDispatcher';
export type { DeploymentLink } from './AlertDispatcher';
export { createAlertDispatcher, readWebhookOptions } from './createAlerts';
export type {
  DagRunFinishedEvent,
  IncidentEvent,
  MonitorListener,
  MonitoredDeployment,
} from './MonitorListener';
