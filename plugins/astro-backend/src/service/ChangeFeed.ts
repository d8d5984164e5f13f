import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import {
  AstroResourceChange,
  createAstroResourceChangesEvent,
} from '@airflow-portal/plugin-astro-node';

/**
 * Fans resource changes out to in-process listeners (the reconciler) and to
 * Backstage's events service, topic `astro.resources` (the catalog provider
 * of this process and, through the events backend's bus on PostgreSQL, of
 * other backend processes).
 */
export class ChangeFeed {
  private readonly listeners = new Set<(change: AstroResourceChange) => void>();

  constructor(
    private readonly options: { events?: EventsService; logger: LoggerService },
  ) {}

  subscribe(listener: (change: AstroResourceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(changes: AstroResourceChange[]): Promise<void> {
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
        await this.options.events.publish(
          createAstroResourceChangesEvent(changes),
        );
      } catch (error) {
        this.options.logger.warn(
          `Could not publish resource changes: ${error}`,
        );
      }
    }
  }
}
