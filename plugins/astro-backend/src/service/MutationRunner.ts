import { AstroResourceChange } from '@airflow-portal/plugin-astro-node';
import { AstroDatabase, AstroStores, NewEvent } from '../store';
import { ChangeFeed } from './ChangeFeed';

/** What a mutation produced: its result, its audit events and its changes. */
export interface MutationOutcome<T> {
  result: T;
  events: NewEvent[];
  changes: AstroResourceChange[];
}

/** Thrown out of a dry run's transaction so that it rolls back. */
class RolledBack {
  constructor(readonly outcome: MutationOutcome<unknown>) {}
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

  /**
   * Runs a mutation. A dry run does everything a real one does, inside the
   * transaction, and then rolls it back: its result is what the mutation
   * would produce, and nothing is written, audited or announced.
   */
  async run<T>(
    mutation: (tx: AstroStores, now: Date) => Promise<MutationOutcome<T>>,
    options: { dryRun?: boolean } = {},
  ): Promise<T> {
    const now = this.clock();
    let outcome: MutationOutcome<T>;
    try {
      outcome = await this.db.transaction(async tx => {
        const result = await mutation(tx, now);
        if (options.dryRun) {
          throw new RolledBack(result);
        }
        for (const event of result.events) {
          await tx.events.insert(event, now);
        }
        return result;
      });
    } catch (error) {
      if (error instanceof RolledBack) {
        return (error.outcome as MutationOutcome<T>).result;
      }
      throw error;
    }
    await this.changes.publish(outcome.changes);
    return outcome.result;
  }
}
