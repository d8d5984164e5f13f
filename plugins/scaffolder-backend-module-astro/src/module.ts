import {
  BackstageCredentials,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAstroApiClient } from '@airflow-portal/plugin-astro-node';
import {
  createAstroDeploymentCreateAction,
  createAstroDeploymentUpdateAction,
  createAstroDeploymentVariablesSetAction,
  createAstroDeploymentWaitAction,
  createAstroWorkspaceCreateAction,
} from './actions';

/**
 * Scaffolder actions for Airflow Deployments and Workspaces. Every action
 * calls the Astro API as the user who runs the template.
 *
 * @public
 */
export const scaffolderModuleAstro = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'astro',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, discovery, auth }) {
        const options = {
          apiFor: (onBehalfOf: BackstageCredentials) =>
            createAstroApiClient({ discovery, auth, onBehalfOf }),
          appBaseUrl: config.getOptionalString('app.baseUrl') ?? '',
        };
        scaffolder.addActions(
          createAstroDeploymentCreateAction(options),
          createAstroDeploymentUpdateAction(options),
          createAstroDeploymentVariablesSetAction(options),
          createAstroWorkspaceCreateAction(options),
          createAstroDeploymentWaitAction(options),
        );
      },
    });
  },
});
