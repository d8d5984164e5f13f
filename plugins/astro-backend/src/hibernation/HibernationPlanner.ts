import { HibernationState } from '@airflow-portal/plugin-astro-common';
import {
  AstroStores,
  DeploymentRecord,
  DeploymentStore,
  HibernationOverrideRecord,
} from '../store';
import { HibernationPlan, planHibernation } from './planHibernation';

/** The plan of a Deployment together with the override it read. */
export interface DeploymentHibernation {
  plan: HibernationPlan;
  override?: HibernationOverrideRecord;
}

/**
 * Plans the hibernation of stored Deployments: their schedules (from the
 * stored settings) and override (from the override table) at the clock's
 * time. Nothing is cached: every pass recomputes from the database, so a
 * restarted backend picks up where the last one was.
 */
export class HibernationPlanner {
  constructor(
    private readonly db: AstroStores,
    private readonly clock: () => Date,
  ) {}

  now(): Date {
    return this.clock();
  }

  /**
   * The plan of one Deployment now. `upcoming`: how many coming
   * transitions to list (fewer is cheaper; the engine needs none).
   */
  async plan(
    record: DeploymentRecord,
    stores: AstroStores = this.db,
    options: { upcoming?: number } = {},
  ): Promise<DeploymentHibernation> {
    const override = await stores.hibernationOverrides.get(record.id);
    return this.planWith(record, override, options.upcoming);
  }

  /** The plans of several Deployments now, by id. */
  async planMany(
    records: DeploymentRecord[],
    stores: AstroStores = this.db,
  ): Promise<Map<string, DeploymentHibernation>> {
    const overrides = await stores.hibernationOverrides.getMany(
      records.map(r => r.id),
    );
    return new Map(
      records.map(r => [r.id, this.planWith(r, overrides.get(r.id))]),
    );
  }

  private planWith(
    record: DeploymentRecord,
    override: HibernationOverrideRecord | undefined,
    upcoming?: number,
  ): DeploymentHibernation {
    const settings = DeploymentStore.settingsOf(record);
    return {
      plan: planHibernation({
        schedules: settings.hibernation?.schedules ?? [],
        override,
        now: this.clock(),
        ...(upcoming === undefined ? {} : { upcoming }),
      }),
      ...(override ? { override } : {}),
    };
  }
}

/** A plan as the API shows it. */
export function hibernationStateOf({
  plan,
  override,
}: DeploymentHibernation): HibernationState {
  const next = (hibernating: boolean) =>
    plan.upcoming.find(t => t.hibernating === hibernating)?.at.toISOString();
  const nextHibernateAt = next(true);
  const nextWakeAt = next(false);
  return {
    isHibernating: plan.hibernating,
    reason: plan.reason,
    ...(plan.override && override
      ? {
          override: {
            isHibernating: override.isHibernating,
            ...(override.overrideUntil
              ? { overrideUntil: override.overrideUntil.toISOString() }
              : {}),
            createdBy: override.createdBy,
            createdAt: override.createdAt.toISOString(),
          },
        }
      : {}),
    ...(nextHibernateAt ? { nextHibernateAt } : {}),
    ...(nextWakeAt ? { nextWakeAt } : {}),
    nextTransitions: plan.upcoming.map(t => ({
      at: t.at.toISOString(),
      action: t.hibernating ? ('HIBERNATE' as const) : ('WAKE' as const),
    })),
  };
}
