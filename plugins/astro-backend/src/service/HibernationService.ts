import { ConflictError, InputError } from '@backstage/errors';
import {
  HibernationOverrideRequest,
  HibernationState,
} from '@airflow-portal/plugin-astro-common';
import { DeploymentRecord, DeploymentStore } from '../store';
import { HibernationPlanner, hibernationStateOf } from '../hibernation';
import type { Actor } from './actor';
import type { MutationRunner } from './MutationRunner';
import type { DeploymentService } from './DeploymentService';

/** The refusal of hibernation together with high availability. */
const HIGH_AVAILABILITY_CONFLICT =
  'cannot hibernate a Deployment with settings.highAvailability: true (high availability keeps two schedulers running at all times); set highAvailability to false first';

/**
 * Hibernation overrides of Deployments: set and removed through the API,
 * audited as Deployment events, announced so the engine acts on them at
 * once.
 */
export class HibernationService {
  constructor(
    private readonly mutations: MutationRunner,
    private readonly deployments: DeploymentService,
    private readonly planner: HibernationPlanner,
  ) {}

  /** The hibernation state of a Deployment now. */
  async get(organization: string, name: string): Promise<HibernationState> {
    const record = await this.deployments.getRecord(organization, name);
    return hibernationStateOf(await this.planner.plan(record));
  }

  /** Validates an override request; the parsed expiry, if any. */
  private parse(
    request: HibernationOverrideRequest,
    record: DeploymentRecord,
    now: Date,
  ): Date | undefined {
    if (typeof request?.isHibernating !== 'boolean') {
      throw new InputError('isHibernating: must be true or false');
    }
    let until: Date | undefined;
    if (request.overrideUntil !== undefined) {
      until = new Date(request.overrideUntil);
      if (
        typeof request.overrideUntil !== 'string' ||
        Number.isNaN(until.getTime())
      ) {
        throw new InputError(
          'overrideUntil: must be a date-time such as "2026-12-03T07:00:00Z"',
        );
      }
      if (until <= now) {
        throw new InputError(
          `overrideUntil: must be in the future (it is ${now.toISOString()} now)`,
        );
      }
    }
    if (
      request.isHibernating &&
      DeploymentStore.settingsOf(record).highAvailability
    ) {
      throw new InputError(`isHibernating: ${HIGH_AVAILABILITY_CONFLICT}`);
    }
    return until;
  }

  async setOverride(
    actor: Actor,
    organization: string,
    name: string,
    request: HibernationOverrideRequest,
  ): Promise<HibernationState> {
    return this.mutations.run(async (tx, now) => {
      const record = await this.deployments.getRecord(organization, name, tx);
      if (record.deletion_requested_at) {
        throw new ConflictError(
          `Deployment "${record.name}" is being deleted and can no longer be changed`,
        );
      }
      const until = this.parse(request, record, now);
      const before = await tx.hibernationOverrides.get(record.id);
      await tx.hibernationOverrides.put({
        deploymentId: record.id,
        isHibernating: request.isHibernating,
        ...(until ? { overrideUntil: until } : {}),
        createdBy: actor,
        createdAt: now,
      });
      const state = hibernationStateOf(await this.planner.plan(record, tx));
      const what = request.isHibernating ? 'hibernate' : 'stay awake';
      return {
        result: state,
        events: [
          {
            ...this.subject(record),
            action: 'hibernation-override-set',
            actor,
            message: `Deployment ${record.name} overridden to ${what} ${
              until
                ? `until ${until.toISOString()}`
                : 'until the override is removed'
            }`,
            before: before
              ? {
                  isHibernating: before.isHibernating,
                  overrideUntil: before.overrideUntil?.toISOString(),
                }
              : undefined,
            after: {
              isHibernating: request.isHibernating,
              overrideUntil: until?.toISOString(),
            },
          },
        ],
        changes: [this.change(record)],
      };
    });
  }

  async removeOverride(
    actor: Actor,
    organization: string,
    name: string,
  ): Promise<HibernationState> {
    return this.mutations.run(async tx => {
      const record = await this.deployments.getRecord(organization, name, tx);
      const before = await tx.hibernationOverrides.get(record.id);
      await tx.hibernationOverrides.delete(record.id);
      const state = hibernationStateOf(await this.planner.plan(record, tx));
      return {
        result: state,
        // Removing no override changes nothing and records nothing.
        events: before
          ? [
              {
                ...this.subject(record),
                action: 'hibernation-override-removed',
                actor,
                message: `Deployment ${record.name}: hibernation override removed; the schedules decide again`,
                before: {
                  isHibernating: before.isHibernating,
                  overrideUntil: before.overrideUntil?.toISOString(),
                },
              },
            ]
          : [],
        changes: before ? [this.change(record)] : [],
      };
    });
  }

  private subject(record: DeploymentRecord) {
    return {
      organization: record.organization_name,
      resourceType: 'deployment' as const,
      resourceName: `${record.organization_name}/${record.name}`,
      deploymentId: record.id,
    };
  }

  private change(record: DeploymentRecord) {
    return {
      kind: 'deployment' as const,
      organization: record.organization_name,
      name: record.name,
      id: record.id,
      action: 'updated' as const,
    };
  }
}
