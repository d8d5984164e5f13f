import { RuntimeRelease } from '@airflow-portal/plugin-astro-common';
import {
  RenderedObject,
  RenderResult,
  RenderRuntime,
  contentHash,
} from '../render';
import { DatabaseMigrationState } from '../store';
import { MigrationDirection, migrationDirection } from './migrationDirection';

/** A metadata database moving from one release to another. */
export interface DatabaseMove {
  direction: Exclude<MigrationDirection, 'none'>;
  /** Where the database is, and what the components keep running meanwhile. */
  from: RenderRuntime;
  /** Where it goes. */
  to: RenderRuntime;
  /** The migration Job of the move. */
  job: RenderedObject;
}

/** What one reconcile pass applies. */
export interface MigrationPlan {
  rendered: RenderResult;
  /** Set while the database moves across a migration; absent otherwise. */
  move?: DatabaseMove;
}

/** Renders a Deployment's objects, optionally for another runtime. */
export type RenderVariant = (override?: {
  runtime?: RenderRuntime;
  databaseDowngradeTo?: string;
}) => Promise<RenderResult>;

function migrationJob(rendered: RenderResult): RenderedObject | undefined {
  return rendered.objects.find(
    o => o.phase === 'migration' && o.object.kind === 'Job',
  );
}

/**
 * Decides what a pass applies while the Airflow release changes. Until the
 * metadata database is migrated to the release the settings ask for, the
 * components keep running the release the database is at: the pass
 * applies that release's objects, with the migration Job of the move in
 * place of its own. An upgrade's Job is the new release's `airflow db
 * migrate`; a downgrade's is the old (newer) release's `airflow db
 * downgrade --to-version`, since only it knows how to undo its migrations.
 * Without a recorded state (a new Deployment) or when the releases share a
 * schema, the pass applies the wanted release's objects, whose Job gates
 * the components as usual.
 */
export async function planDatabaseMigration(input: {
  migrated: DatabaseMigrationState | undefined;
  target: RenderRuntime;
  releases: readonly RuntimeRelease[];
  render: RenderVariant;
}): Promise<MigrationPlan> {
  const { migrated, target } = input;
  const direction = migrated
    ? migrationDirection(
        migrated.airflowVersion,
        target.airflowVersion,
        input.releases,
      )
    : 'none';
  if (!migrated || direction === 'none') {
    return { rendered: await input.render() };
  }
  const from: RenderRuntime = {
    airflowVersion: migrated.airflowVersion,
    image: migrated.image,
  };
  if (direction === 'downgrade') {
    const rendered = await input.render({
      runtime: from,
      databaseDowngradeTo: target.airflowVersion,
    });
    const job = migrationJob(rendered);
    return job
      ? { rendered, move: { direction, from, to: target, job } }
      : { rendered };
  }
  const [current, wanted] = await Promise.all([
    input.render({ runtime: from }),
    input.render(),
  ]);
  const job = migrationJob(wanted);
  if (!job) {
    return { rendered: wanted };
  }
  const objects = [
    ...current.objects.filter(o => o.phase !== 'migration'),
    ...wanted.objects.filter(o => o.phase === 'migration'),
  ];
  return {
    rendered: {
      ...current,
      objects,
      hash: contentHash(objects.map(o => o.hash)),
    },
    move: { direction, from, to: target, job },
  };
}
