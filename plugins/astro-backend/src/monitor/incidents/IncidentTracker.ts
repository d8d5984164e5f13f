import { LoggerService } from '@backstage/backend-plugin-api';
import { Incident } from '@airflow-portal/plugin-astro-common';
import { AstroDatabase, NewIncident, openKeyOf } from '../../store';
import { SYSTEM_ACTOR } from '../../service/actor';
import {
  MonitoredDeployment,
  MonitorListener,
  notifyListeners,
} from '../../lib/MonitorListener';
import { IncidentEvaluation, incidentChanged } from './evaluateIncidents';

/** What one sync did. */
export interface IncidentSyncResult {
  opened: Incident[];
  resolved: Incident[];
  updated: number;
}

/**
 * Brings a Deployment's open incidents in line with an evaluation: opens
 * the wanted ones that are not open, resolves the open ones no longer
 * wanted (unless their kind could not be judged this time), and updates
 * the message of the others. Opening and resolving are recorded in the
 * Deployment's events and announced to the listeners; the database's
 * unique guard makes a second replica's identical open a no-op, so each
 * incident is opened (and announced) once.
 */
export class IncidentTracker {
  constructor(
    private readonly deps: {
      db: AstroDatabase;
      logger: LoggerService;
      listeners: readonly MonitorListener[];
    },
  ) {}

  async sync(
    deployment: MonitoredDeployment,
    evaluation: IncidentEvaluation,
    now: Date,
  ): Promise<IncidentSyncResult> {
    const { db } = this.deps;
    const open = await db.incidents.openOf(deployment.id);
    const openByKey = new Map(
      open.map(incident => [
        openKeyOf(incident.kind, incident.subject ?? ''),
        incident,
      ]),
    );
    const wantedKeys = new Set<string>();
    const result: IncidentSyncResult = { opened: [], resolved: [], updated: 0 };

    for (const wanted of evaluation.open) {
      const key = openKeyOf(wanted.kind, wanted.subject);
      if (wantedKeys.has(key)) {
        continue;
      }
      wantedKeys.add(key);
      const current = openByKey.get(key);
      if (!current) {
        const opened = await this.open(deployment, wanted, now);
        if (opened) {
          result.opened.push(opened);
        }
      } else if (incidentChanged(current, wanted)) {
        await db.incidents.update(current.id, wanted);
        result.updated += 1;
      }
    }

    const unknown = new Set(evaluation.unknown);
    for (const [key, incident] of openByKey) {
      if (wantedKeys.has(key) || unknown.has(incident.kind)) {
        continue;
      }
      const resolved = await this.resolve(deployment, incident, now);
      if (resolved) {
        result.resolved.push(resolved);
      }
    }

    const onError = (error: unknown) =>
      this.deps.logger.warn(`An incident listener failed: ${error}`);
    for (const incident of result.opened) {
      await notifyListeners(
        this.deps.listeners,
        'incidentOpened',
        { incident, deployment },
        onError,
      );
    }
    for (const incident of result.resolved) {
      await notifyListeners(
        this.deps.listeners,
        'incidentResolved',
        { incident, deployment },
        onError,
      );
    }
    return result;
  }

  private open(
    deployment: MonitoredDeployment,
    wanted: NewIncident,
    now: Date,
  ): Promise<Incident | undefined> {
    return this.deps.db.transaction(async tx => {
      const incident = await tx.incidents.open(deployment.id, wanted, now);
      if (incident) {
        await tx.events.insert(
          eventOf(deployment, 'incident-opened', incident, incident.message),
          now,
        );
      }
      return incident;
    });
  }

  private resolve(
    deployment: MonitoredDeployment,
    incident: Incident,
    now: Date,
  ): Promise<Incident | undefined> {
    return this.deps.db.transaction(async tx => {
      if (!(await tx.incidents.resolve(incident.id, now))) {
        return undefined;
      }
      await tx.events.insert(
        eventOf(
          deployment,
          'incident-resolved',
          incident,
          `Resolved: ${incident.title}`,
        ),
        now,
      );
      return tx.incidents.get(deployment.id, incident.id);
    });
  }
}

function eventOf(
  deployment: MonitoredDeployment,
  action: string,
  incident: Incident,
  message: string,
) {
  return {
    organization: deployment.organization,
    resourceType: 'deployment' as const,
    resourceName: `${deployment.organization}/${deployment.name}`,
    deploymentId: deployment.id,
    action,
    actor: SYSTEM_ACTOR,
    message,
    after: {
      incidentId: incident.id,
      kind: incident.kind,
      ...(incident.subject ? { subject: incident.subject } : {}),
      severity: incident.severity,
    },
  };
}
