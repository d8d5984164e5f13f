import { InputError } from '@backstage/errors';
import { RuntimeRelease } from '@airflow-portal/plugin-astro-common';
import { compareAirflowVersions } from '../options/runtimeCatalog';

/**
 * What moving a metadata database from one Airflow release to another
 * does to its schema: nothing (same release, or releases sharing a
 * migration revision), an upgrade, or a downgrade across a migration.
 */
export type MigrationDirection = 'none' | 'upgrade' | 'downgrade';

/**
 * The direction of a move between releases. Releases of the catalog with
 * the same `migrationRevision` share a schema; a release without a
 * revision (or not in the catalog) differs from every other one.
 */
export function migrationDirection(
  from: string,
  to: string,
  releases: readonly RuntimeRelease[],
): MigrationDirection {
  if (from === to) {
    return 'none';
  }
  const revisionOf = (version: string) =>
    releases.find(r => r.airflowVersion === version)?.migrationRevision;
  const fromRevision = revisionOf(from);
  if (fromRevision !== undefined && fromRevision === revisionOf(to)) {
    return 'none';
  }
  return compareAirflowVersions(to, from) < 0 ? 'downgrade' : 'upgrade';
}

/**
 * Refuses an Airflow version a Deployment may not move to:
 * - an end-of-life release, unless the Deployment already runs it
 *   (`current`; absent on create);
 * - a release older than the one the metadata database is migrated to
 *   (`migrated`, else `current`) across a migration, unless `force`.
 *
 * @throws InputError naming `settings.airflowVersion`.
 */
export function checkAirflowVersionChange(change: {
  releases: readonly RuntimeRelease[];
  target: string;
  current?: string;
  migrated?: string;
  force?: boolean;
}): void {
  const { releases, target, current } = change;
  const release = releases.find(r => r.airflowVersion === target);
  if (release?.endOfLife && target !== current) {
    const offered = releases
      .filter(r => !r.endOfLife)
      .map(r => r.airflowVersion)
      .join(', ');
    throw new InputError(
      `settings.airflowVersion: Airflow ${target} is past end of life${
        release.endOfLifeSince ? ` (since ${release.endOfLifeSince})` : ''
      } and cannot be chosen; choose one of ${offered}`,
    );
  }
  const from = change.migrated ?? current;
  if (
    from !== undefined &&
    !change.force &&
    migrationDirection(from, target, releases) === 'downgrade'
  ) {
    const revision = (version: string) =>
      releases.find(r => r.airflowVersion === version)?.migrationRevision ??
      'unknown';
    throw new InputError(
      `settings.airflowVersion: going from Airflow ${from} back to ${target} downgrades the metadata database across a migration (revision ${revision(
        from,
      )} to ${revision(
        target,
      )}); repeat the request with the query parameter force=true to run "airflow db downgrade" before the components roll back`,
    );
  }
}
