import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { AstroEntitiesProcessor } from './processor/AstroEntitiesProcessor';
import { AstroEntityProvider } from './provider/AstroEntityProvider';
import { readAstroProviderConfig } from './provider/config';

/**
 * Catalog module for the Astro entity kinds: the processor that validates
 * them and emits their relations, and the entity provider that projects the
 * Astro backend's resources into the catalog.
 *
 * @public
 */
export const catalogModuleAstro = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'astro',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        discovery,
        auth,
        events,
      }) {
        catalog.addProcessor(new AstroEntitiesProcessor());

        const providerConfig = readAstroProviderConfig(config);
        if (!providerConfig.enabled) {
          logger.info('The Astro entity provider is disabled');
          return;
        }
        catalog.addEntityProvider(
          new AstroEntityProvider({
            logger,
            discovery,
            auth,
            events,
            taskRunner: scheduler.createScheduledTaskRunner(
              providerConfig.schedule,
            ),
            appBaseUrl: providerConfig.appBaseUrl,
            pageSize: providerConfig.pageSize,
            deltaDelayMs: providerConfig.deltaDelayMs,
          }),
        );
      },
    });
  },
});
