import { createHash } from 'node:crypto';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { Incident } from '@airflow-portal/plugin-astro-common';
import { AlertRuleRecord, DeploymentRecord } from '../store';
import { DagRunFinishedEvent } from './MonitorListener';

/** What an alert is about, from a monitor event. */
export type AlertKind =
  | 'incident-opened'
  | 'incident-resolved'
  | 'dag-run-failed'
  | 'dag-run-too-long';

/** One alert: what happened to which Deployment, ready to match and send. */
export interface Alert {
  kind: AlertKind;
  /** Identifies the event: the same event always has the same key. */
  key: string;
  deployment: DeploymentRecord;
  title: string;
  description: string;
  severity: NotificationSeverity;
  /**
   * Alerts about the same thing (one incident, one DAG run) share it: the
   * notifications UI shows them as one, updated in place.
   */
  scope: string;
  incident?: Incident;
  dagRun?: DagRunFinishedEvent & { durationMinutes?: number };
  occurredAt: string;
}

/** A short, fixed-length digest of an alert's key, for delivery keys. */
export function alertKeyDigest(alert: Alert): string {
  return createHash('sha256').update(alert.key).digest('hex');
}

function deploymentLabel(record: DeploymentRecord) {
  return `${record.organization_name}/${record.name}`;
}

/** How loud an incident's alert is: its severity while open, low once resolved. */
function incidentSeverity(
  incident: Incident,
  opened: boolean,
): NotificationSeverity {
  if (!opened) {
    return 'low';
  }
  return incident.severity === 'critical' ? 'critical' : 'high';
}

/** The alert of an incident opened or resolved. */
export function incidentAlert(
  incident: Incident,
  deployment: DeploymentRecord,
  opened: boolean,
): Alert {
  const label = deploymentLabel(deployment);
  return {
    kind: opened ? 'incident-opened' : 'incident-resolved',
    key: `incident:${incident.id}:${opened ? 'opened' : 'resolved'}`,
    deployment,
    title: opened
      ? `${label}: ${incident.title}`
      : `${label}: resolved: ${incident.title}`,
    description: opened
      ? `${incident.severity} incident on Deployment ${label}: ${incident.message}`
      : `The ${incident.severity} incident "${incident.title}" on Deployment ${label} is resolved.`,
    severity: incidentSeverity(incident, opened),
    scope: `astro:incident:${incident.id}`,
    incident,
    occurredAt:
      (opened ? incident.openedAt : incident.resolvedAt) ?? incident.openedAt,
  };
}

/** Minutes a run took, when both ends are known. */
function durationMinutes(e: DagRunFinishedEvent): number | undefined {
  if (!e.startDate || !e.endDate) {
    return undefined;
  }
  const ms = Date.parse(e.endDate) - Date.parse(e.startDate);
  return Number.isFinite(ms) && ms >= 0 ? ms / 60_000 : undefined;
}

/**
 * The alerts of a finished DAG run: a failure, and a run long enough to
 * be checked against duration thresholds (every rule decides its own).
 */
export function dagRunAlerts(
  e: DagRunFinishedEvent,
  deployment: DeploymentRecord,
): Alert[] {
  const label = deploymentLabel(deployment);
  const minutes = durationMinutes(e);
  const dagRun = {
    ...e,
    ...(minutes !== undefined ? { durationMinutes: minutes } : {}),
  };
  const base = `dag-run:${deployment.id}:${e.dagId}:${e.runId}`;
  const occurredAt = e.endDate ?? new Date().toISOString();
  const alerts: Alert[] = [];
  if (e.state === 'failed') {
    alerts.push({
      kind: 'dag-run-failed',
      key: `${base}:failed`,
      deployment,
      title: `${label}: DAG ${e.dagId} failed`,
      description: `Run ${e.runId} of DAG ${e.dagId} on Deployment ${label} failed.`,
      severity: 'high',
      scope: `astro:dag-run:${deployment.id}:${e.dagId}:${e.runId}`,
      dagRun,
      occurredAt,
    });
  }
  if (minutes !== undefined) {
    alerts.push({
      kind: 'dag-run-too-long',
      key: `${base}:duration`,
      deployment,
      title: `${label}: DAG ${e.dagId} took ${Math.round(minutes)} min`,
      description: `Run ${e.runId} of DAG ${
        e.dagId
      } on Deployment ${label} took ${Math.round(minutes)} minutes (${
        e.state
      }).`,
      severity: 'normal',
      scope: `astro:dag-run:${deployment.id}:${e.dagId}:${e.runId}:duration`,
      dagRun,
      occurredAt,
    });
  }
  return alerts;
}

const SEVERITY_RANK = { warning: 1, critical: 2 } as const;

/** Whether a rule alerts on an alert. */
export function ruleMatches(rule: AlertRuleRecord, alert: Alert): boolean {
  const { condition } = rule;
  const coversDag = (dagId: string) =>
    condition.dagIds.length === 0 || condition.dagIds.includes(dagId);
  switch (rule.row.type) {
    case 'incident':
      return (
        (alert.kind === 'incident-opened' ||
          alert.kind === 'incident-resolved') &&
        SEVERITY_RANK[alert.incident!.severity] >=
          SEVERITY_RANK[condition.minSeverity ?? 'warning']
      );
    case 'dag-failure':
      return alert.kind === 'dag-run-failed' && coversDag(alert.dagRun!.dagId);
    case 'dag-duration':
      return (
        alert.kind === 'dag-run-too-long' &&
        coversDag(alert.dagRun!.dagId) &&
        (alert.dagRun!.durationMinutes ?? 0) >
          (condition.thresholdMinutes ?? Infinity)
      );
    default:
      return false;
  }
}
