// The monitor's announcements, under the names the alert code uses; the
// one definition is the monitor's.
export type {
  DagRunFinished as DagRunFinishedEvent,
  IncidentAnnouncement as IncidentEvent,
  MonitorListener,
  MonitoredDeployment,
} from '../lib/MonitorListener';
