import { RuntimeRelease } from '@airflow-portal/plugin-astro-common';
import { renderDeployment } from '../render';
import { fixtureInput } from '../render/__testUtils__/renderInputs';
import { DEFAULT_RUNTIME_RELEASES } from '../options/runtimeCatalog';
import {
  checkAirflowVersionChange,
  migrationDirection,
} from './migrationDirection';
import { redactLog } from './migrationFailure';
import {
  databaseMigrationCondition,
  versionSupportedCondition,
} from './upgradeConditions';

const releases = DEFAULT_RUNTIME_RELEASES;

describe('migrationDirection', () => {
  it('treats releases sharing a migration revision as one schema', () => {
    expect(migrationDirection('2.11.0', '2.10.5', releases)).toBe('none');
    expect(migrationDirection('2.10.5', '2.11.0', releases)).toBe('none');
    expect(migrationDirection('3.1.3', '3.1.3', releases)).toBe('none');
  });

  it('orders releases with different revisions numerically', () => {
    expect(migrationDirection('2.11.0', '3.1.3', releases)).toBe('upgrade');
    expect(migrationDirection('3.1.3', '3.0.6', releases)).toBe('downgrade');
    expect(migrationDirection('3.0.6', '2.11.0', releases)).toBe('downgrade');
  });

  it('counts every change of a release without a revision as a migration', () => {
    const bare: RuntimeRelease[] = [
      {
        airflowVersion: '3.1.4',
        image: 'a',
        isDefault: true,
        deprecated: false,
        endOfLife: false,
      },
      {
        airflowVersion: '3.1.3',
        image: 'b',
        isDefault: false,
        deprecated: false,
        endOfLife: false,
      },
    ];
    expect(migrationDirection('3.1.4', '3.1.3', bare)).toBe('downgrade');
  });
});

describe('checkAirflowVersionChange', () => {
  const withEndOfLife = releases.map(r =>
    r.airflowVersion === '2.10.5'
      ? { ...r, endOfLife: true, endOfLifeSince: '2026-06-01' }
      : r,
  );

  it('refuses an end-of-life release for a new Deployment, naming the field', () => {
    expect(() =>
      checkAirflowVersionChange({ releases: withEndOfLife, target: '2.10.5' }),
    ).toThrow(
      /settings\.airflowVersion: Airflow 2\.10\.5 is past end of life \(since 2026-06-01\)/,
    );
  });

  it('lets a Deployment on an end-of-life release keep it', () => {
    expect(() =>
      checkAirflowVersionChange({
        releases: withEndOfLife,
        target: '2.10.5',
        current: '2.10.5',
      }),
    ).not.toThrow();
  });

  it('refuses a downgrade across a migration unless forced', () => {
    expect(() =>
      checkAirflowVersionChange({
        releases,
        target: '3.0.6',
        current: '3.1.3',
      }),
    ).toThrow(/settings\.airflowVersion: .*force=true/);
    expect(() =>
      checkAirflowVersionChange({
        releases,
        target: '3.0.6',
        current: '3.1.3',
        force: true,
      }),
    ).not.toThrow();
  });

  it('judges a downgrade from where the database is, not from the settings', () => {
    // An upgrade to 3.1.3 that has not migrated yet: going back is no downgrade.
    expect(() =>
      checkAirflowVersionChange({
        releases,
        target: '3.0.6',
        current: '3.1.3',
        migrated: '3.0.6',
      }),
    ).not.toThrow();
  });
});

describe('the downgrade Job', () => {
  it('runs airflow db downgrade with the image it is given', () => {
    const input = fixtureInput({ airflowVersion: '3.1.3' });
    const job = (downgradeTo?: string) =>
      renderDeployment({
        ...input,
        databaseDowngradeTo: downgradeTo,
      }).objects.find(o => o.object.kind === 'Job')!.object as any;
    const downgrade = job('3.0.6');
    expect(downgrade.spec.template.spec.containers[0].args).toEqual([
      'airflow',
      'db',
      'downgrade',
      '--to-version',
      '3.0.6',
      '--yes',
    ]);
    expect(downgrade.spec.template.spec.containers[0].image).toBe(
      input.runtime.image,
    );
    // Another command, another immutable Job.
    expect(downgrade.metadata.name).not.toBe(job().metadata.name);
  });
});

describe('status conditions', () => {
  it('marks a deprecated release and names the one to move to', () => {
    const now = releases.map(r =>
      r.airflowVersion === '2.11.0' ? { ...r, deprecated: true } : r,
    );
    expect(versionSupportedCondition('2.11.0', now)).toEqual({
      type: 'AirflowVersionSupported',
      status: 'False',
      reason: 'Deprecated',
      message:
        'Airflow 2.11.0 is deprecated since 2026-04-22; upgrade to 3.1.3',
    });
    expect(versionSupportedCondition('3.1.3', now).status).toBe('True');
  });

  it('reports a held migration failure with its log tail', () => {
    const condition = databaseMigrationCondition('3.1.3', {
      airflowVersion: '3.0.6',
      image: 'apache/airflow:3.0.6',
      failure: {
        targetVersion: '3.1.3',
        jobName: 'migrate-db-abc',
        reason:
          'BackoffLimitExceeded: Job has reached the specified backoff limit',
        logTail: 'alembic.util.exc.CommandError',
        failedAt: '2026-12-02T12:00:00.000Z',
      },
    });
    expect(condition).toMatchObject({
      status: 'False',
      reason: 'MigrationFailed',
    });
    expect(condition!.message).toMatch(/Airflow 3\.0\.6 keeps running/);
    expect(condition!.message).toMatch(/alembic\.util\.exc\.CommandError$/);
  });
});

describe('redactLog', () => {
  it('hides passwords in URLs and key=value pairs', () => {
    expect(
      redactLog(
        'conn postgresql://airflow:s3cr3t@db:5432/x\npassword=hunter2 token: abc',
      ),
    ).toBe('conn postgresql://airflow:***@db:5432/x\npassword=*** token: ***');
  });
});
