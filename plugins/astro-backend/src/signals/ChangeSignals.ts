import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import { AstroResourceChange } from '@airflow-portal/plugin-astro-node';
import {
  ASTRO_LIVE_CHANNEL,
  AstroChangeSignal,
  AstroLiveChangeKind,
  AstroLiveSignal,
  astroDeploymentChannel,
  astroOrganizationChannel,
} from '@airflow-portal/plugin-astro-common';
import { IncidentAnnouncement, MonitorListener } from '../lib/MonitorListener';

/** At most one signal per Deployment channel in this many milliseconds. */
export const DEPLOYMENT_SIGNAL_WINDOW_MS = 250;
/**
 * At most one signal per organization channel in this many milliseconds:
 * each one makes open list pages read every Deployment of the organization
 * again, so a busy reconcile is batched more coarsely than one Deployment.
 */
export const ORGANIZATION_SIGNAL_WINDOW_MS = 1000;
/** How often a backend tells open pages that signals reach them. */
export const LIVE_SIGNAL_INTERVAL_SECONDS = 15;

interface Window {
  /** Kinds of change that arrived since the last signal of the channel. */
  kinds: Set<AstroLiveChangeKind>;
  timer: ReturnType<typeof setTimeout>;
}

function kindOf(change: AstroResourceChange): AstroLiveChangeKind {
  switch (change.action) {
    case 'status':
      return 'status';
    case 'updated':
      return 'settings';
    default:
      return change.action;
  }
}

/**
 * Tells open pages what changed, through Backstage's signals: each resource
 * change of the in-process change feed and each incident the monitoring
 * pass opens or resolves becomes a signal on the Deployment's channel and on
 * its organization's channel. Signals are broadcast and carry only the kinds
 * of change (pages read the state through the permission-checked API), so
 * nobody learns from them more than that a resource they named changed.
 *
 * The first change of a channel is sent at once; further changes within
 * the channel's window are sent as one signal when the window ends.
 * Besides, a liveness signal on {@link ASTRO_LIVE_CHANNEL} every
 * {@link LIVE_SIGNAL_INTERVAL_SECONDS} lets pages know that signals arrive
 * (and poll slowly while they do).
 */
export class ChangeSignals implements MonitorListener {
  private readonly windows = new Map<string, Window>();
  private liveTimer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly options: {
      signals: SignalsService;
      logger: LoggerService;
    },
  ) {}

  /** Sends the liveness signal now and then every interval until {@link stop}. */
  start(): void {
    if (this.liveTimer) {
      return;
    }
    const live = () =>
      this.publish<AstroLiveSignal>(ASTRO_LIVE_CHANNEL, {
        intervalSeconds: LIVE_SIGNAL_INTERVAL_SECONDS,
      });
    live();
    this.liveTimer = setInterval(live, LIVE_SIGNAL_INTERVAL_SECONDS * 1000);
    this.liveTimer.unref?.();
  }

  /** Stops the liveness signal and drops changes not sent yet. */
  stop(): void {
    if (this.liveTimer) {
      clearInterval(this.liveTimer);
      this.liveTimer = undefined;
    }
    for (const window of this.windows.values()) {
      clearTimeout(window.timer);
    }
    this.windows.clear();
  }

  /** A committed resource change (a listener of the change feed). */
  changed(change: AstroResourceChange): void {
    const kind = kindOf(change);
    switch (change.kind) {
      case 'deployment':
        if (change.organization) {
          this.signal(
            astroDeploymentChannel(change.organization, change.name),
            kind,
            DEPLOYMENT_SIGNAL_WINDOW_MS,
          );
          this.signal(
            astroOrganizationChannel(change.organization),
            kind,
            ORGANIZATION_SIGNAL_WINDOW_MS,
          );
        }
        return;
      case 'workspace':
        if (change.organization) {
          this.signal(
            astroOrganizationChannel(change.organization),
            kind,
            ORGANIZATION_SIGNAL_WINDOW_MS,
          );
        }
        return;
      case 'organization':
        this.signal(
          astroOrganizationChannel(change.name),
          kind,
          ORGANIZATION_SIGNAL_WINDOW_MS,
        );
        return;
      default:
        // No page follows clusters.
        return;
    }
  }

  incidentOpened(announcement: IncidentAnnouncement): void {
    this.incident(announcement);
  }

  incidentResolved(announcement: IncidentAnnouncement): void {
    this.incident(announcement);
  }

  private incident({ deployment }: IncidentAnnouncement): void {
    this.signal(
      astroDeploymentChannel(deployment.organization, deployment.name),
      'incident',
      DEPLOYMENT_SIGNAL_WINDOW_MS,
    );
    this.signal(
      astroOrganizationChannel(deployment.organization),
      'incident',
      ORGANIZATION_SIGNAL_WINDOW_MS,
    );
  }

  private signal(
    channel: string,
    kind: AstroLiveChangeKind,
    windowMs: number,
  ): void {
    const open = this.windows.get(channel);
    if (open) {
      open.kinds.add(kind);
      return;
    }
    this.publish<AstroChangeSignal>(channel, { kinds: [kind] });
    this.openWindow(channel, windowMs);
  }

  private openWindow(channel: string, windowMs: number): void {
    const window: Window = {
      kinds: new Set(),
      timer: setTimeout(() => {
        this.windows.delete(channel);
        if (window.kinds.size > 0) {
          this.publish<AstroChangeSignal>(channel, {
            kinds: [...window.kinds].sort(),
          });
          // The next change waits for the end of a new window.
          this.openWindow(channel, windowMs);
        }
      }, windowMs),
    };
    window.timer.unref?.();
    this.windows.set(channel, window);
  }

  private publish<T extends AstroChangeSignal | AstroLiveSignal>(
    channel: string,
    message: T,
  ): void {
    this.options.signals
      .publish({ recipients: { type: 'broadcast' }, channel, message })
      .catch(error =>
        this.options.logger.warn(
          `Could not send the signal of ${channel}: ${error}`,
        ),
      );
  }
}
