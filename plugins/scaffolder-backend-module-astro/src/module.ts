import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';

/**
 * Scaffolder actions for Airflow Deployments and Workspaces.
 *
 * @public
 */
export const scaffolderModuleAstro = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'astro',
  register(env) {
    env.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions();
      },
    });
  },
});
