import { Config } from '@backstage/config';
import {
  DeploymentOptions,
  RuntimeRelease,
} from '@airflow-portal/plugin-astro-common';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Orders Airflow versions numerically (`2.10.5` before `2.11.0`); negative when `a` is older. */
export function compareAirflowVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map(n => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.+-]/).map(n => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}

/**
 * Airflow releases offered when `astro.runtimes` is not configured.
 *
 * `migrationRevision` is the Alembic head revision of each release's
 * metadata-database schema (Airflow's `_REVISION_HEADS_MAP`): 2.10.3 added
 * the last 2.x migration, so 2.10.5 and 2.11.0 share one schema; 3.0.3
 * added the last 3.0 migration and 3.1.0 the last 3.1 one. Airflow 2
 * reached the end of upstream maintenance on 2026-04-22, so both 2.x
 * releases are deprecated; the platform team decides when they reach end
 * of life (`astro.runtimes[].endOfLife`).
 */
export const DEFAULT_RUNTIME_RELEASES: RuntimeRelease[] = [
  {
    airflowVersion: '3.1.3',
    image: 'apache/airflow:3.1.3',
    isDefault: true,
    deprecated: false,
    endOfLife: false,
    migrationRevision: 'cc92b33c6709',
  },
  {
    airflowVersion: '3.0.6',
    image: 'apache/airflow:3.0.6',
    isDefault: false,
    deprecated: false,
    endOfLife: false,
    migrationRevision: 'fe199e1abd77',
  },
  {
    airflowVersion: '2.11.0',
    image: 'apache/airflow:2.11.0',
    isDefault: false,
    deprecated: false,
    deprecatedSince: '2026-04-22',
    endOfLife: false,
    migrationRevision: '5f2621c13b39',
  },
  {
    airflowVersion: '2.10.5',
    image: 'apache/airflow:2.10.5',
    isDefault: false,
    deprecated: false,
    deprecatedSince: '2025-05-20',
    endOfLife: false,
    migrationRevision: '5f2621c13b39',
  },
];

/**
 * Reads `deprecated` or `endOfLife` of a configured release: `true`
 * (from now on), `false`, or the day it starts (`YYYY-MM-DD`, UTC).
 */
function readLifecycle(
  runtime: Config,
  key: 'deprecated' | 'endOfLife',
  path: string,
): { flag: boolean; since?: string } {
  if (!runtime.has(key)) {
    return { flag: false };
  }
  const value = runtime.get(key);
  if (typeof value === 'boolean') {
    return { flag: value };
  }
  if (typeof value === 'string' && DAY.test(value)) {
    if (Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new Error(`${path}.${key}: "${value}" is not a day`);
    }
    return { flag: false, since: value };
  }
  throw new Error(`${path}.${key}: must be true, false or a day (YYYY-MM-DD)`);
}

/** One configured `astro.runtimes[]` entry as a release (lifecycle not yet evaluated). */
export function readRuntimeRelease(
  runtime: Config,
  index: number,
): RuntimeRelease {
  const path = `astro.runtimes[${index}]`;
  const deprecated = readLifecycle(runtime, 'deprecated', path);
  const endOfLife = readLifecycle(runtime, 'endOfLife', path);
  const migrationRevision = runtime.getOptionalString('migrationRevision');
  return {
    airflowVersion: runtime.getString('airflowVersion'),
    image: runtime.getString('image'),
    isDefault: runtime.getOptionalBoolean('default') ?? false,
    deprecated: deprecated.flag,
    ...(deprecated.since ? { deprecatedSince: deprecated.since } : {}),
    endOfLife: endOfLife.flag,
    ...(endOfLife.since ? { endOfLifeSince: endOfLife.since } : {}),
    ...(migrationRevision ? { migrationRevision } : {}),
  };
}

/** Whether a day (`YYYY-MM-DD`) has come at `now` (UTC). */
function hasCome(day: string | undefined, now: Date): boolean {
  return day !== undefined && day <= now.toISOString().slice(0, 10);
}

/** A release with `deprecated` and `endOfLife` as they are at `now`. */
export function releaseAt(release: RuntimeRelease, now: Date): RuntimeRelease {
  const endOfLife = release.endOfLife || hasCome(release.endOfLifeSince, now);
  return {
    ...release,
    // An end-of-life release is deprecated too.
    deprecated:
      release.deprecated || endOfLife || hasCome(release.deprecatedSince, now),
    endOfLife,
  };
}

/** The options with each release's lifecycle evaluated at `now`. */
export function optionsAt(
  options: DeploymentOptions,
  now: Date,
): DeploymentOptions {
  return {
    ...options,
    runtimeReleases: options.runtimeReleases.map(r => releaseAt(r, now)),
  };
}
