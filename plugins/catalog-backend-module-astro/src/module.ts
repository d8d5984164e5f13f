import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AstroEntitiesProcessor } from './processor/AstroEntitiesProcessor';

/**
 * Catalog module for the Astro entity kinds.
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
        logger: coreServices.logger,
      },
      async init({ catalog }) {
        catalog.addProcessor(new AstroEntitiesProcessor());
      },
    });
  },
});
