import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * The notifications e-mail processor, loaded only when
 * `notifications.processors.email` is configured (it refuses to start
 * without its transport): off by default. See docs/architecture.md, "Alerts".
 */
export const emailNotifications = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('notifications.processors.email')) {
      yield import('@backstage/plugin-notifications-backend-module-email');
    }
  },
});
