import { AstroResourceChange } from '@airflow-portal/plugin-astro-node';
import { AstroDatabase, AstroStores, NewEvent } from '../store';
import { ChangeFeed } from './ChangeFeed';

/** What a mutation produced: its result, its audit events and its changes. */
export interface MutationOutcome<T> {
  result: T;
  events: NewEvent[];
  changes: AstroResourceChange[];
}

/**
 * Runs a mutation in one transaction together with its audit events, and
 * publishes its changes once committed: a failed mutation leaves nothing
 * half-written and announces nothing. The mutation reads and writes
 * through the stores it is handed, which are bound to the transaction.
 */
export class MutationRunner {
  constructor(
    private readonly db: AstroDatabase,
    private readonly changes: ChangeFeed,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now(): Date {
    return this.clock();
  }

  async run<T>(
    mutation: (tx: AstroStores, now: Date) => Promise<MutationOutcome<T>>,
  ): Promise<T> {
    const now = this.clock();
    const outcome = await this.db.transaction(async tx => {
      const result = await mutation(tx, now);
      for (const event of result.events) {
        await tx.events.insert(event, now);
      }
      return result;
    });
    await this.changes.publish(outcome.changes);
    return outcome.result;
  }
}
