import { InputError } from '@backstage/errors';
import { DeploymentSettings } from '@airflow-portal/plugin-astro-common';
import { AstroStores } from '../store';

/**
 * Refuses settings with high availability while an override hibernates
 * the Deployment. (Enabled schedules together with high availability are
 * refused by the settings schema itself.)
 */
export async function assertHighAvailabilityAllowed(
  stores: AstroStores,
  deploymentId: string,
  settings: Pick<DeploymentSettings, 'highAvailability'>,
  now: Date,
): Promise<void> {
  if (!settings.highAvailability) {
    return;
  }
  const override = await stores.hibernationOverrides.get(deploymentId);
  if (
    override?.isHibernating &&
    (!override.overrideUntil || override.overrideUntil > now)
  ) {
    throw new InputError(
      `settings.highAvailability: cannot be true while a hibernation override hibernates the Deployment${
        override.overrideUntil
          ? ` (until ${override.overrideUntil.toISOString()})`
          : ''
      }; remove the override (DELETE …/hibernation-override) first`,
    );
  }
}
