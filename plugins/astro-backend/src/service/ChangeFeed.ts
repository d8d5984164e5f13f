import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';

/** The topic on which resource changes are published to the events service. */
export const ASTRO_CHANGES_TOPIC = 'astro.resources';

/** A change to a resource, published after its transaction committed. */
export interface ResourceChange {
  kind: 'organization' | 'workspace' | 'cluster' | 'deployment';
  /** Organization of a workspace or deployment. */
  organization?: string;
  name: string;
  action: 'created' | 'updated' | 'deleted' | 'status';
  /** Immutable id of a deployment. */
  id?: string;
}

/**
 * Fans resource changes out to in-process listeners (the reconciler) and to
 * Backstage's events service (the catalog provider, other backend instances).
 */
export class ChangeFeed {
  private readonly listeners = new Set<(change: ResourceChange) => void>();

  constructor(
    private readonly options: { events?: EventsService; logger: LoggerService },
  ) {}

  subscribe(listener: (change: ResourceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(changes: ResourceChange[]): Promise<void> {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.options.logger.warn(`Change listener failed: ${error}`);
        }
      }
    }
    if (this.options.events && changes.length > 0) {
      try {
        await this.options.events.publish({
          topic: ASTRO_CHANGES_TOPIC,
          eventPayload: { changes },
        });
      } catch (error) {
        this.options.logger.warn(
          `Could not publish resource changes: ${error}`,
        );
      }
    }
  }
}
