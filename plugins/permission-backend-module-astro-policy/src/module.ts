import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  CatalogMembership,
  createAstroApiClient,
} from '@airflow-portal/plugin-astro-node';
import { AstroRolePolicy } from './AstroRolePolicy';
import { RoleBindingsReader } from './RoleBindingsReader';

/**
 * Sets the portal's permission policy to Astro's role policy: `astro.*`
 * permissions follow the roles bound in the Astro backend, and so does the
 * catalog visibility of AstroOrganization, AstroWorkspace and
 * AstroDeployment entities; everything else is allowed (as with the
 * allow-all policy). Replace this module with your own policy module to
 * decide the rest; see the README.
 *
 * @public
 */
export const permissionModuleAstroPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'astro-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, auth, discovery, logger, catalog }) {
        const cacheSeconds = config.getOptionalNumber(
          'astro.permissions.membershipCacheSeconds',
        );
        policy.setPolicy(
          new AstroRolePolicy({
            claims: new CatalogMembership({ catalog, auth, cacheSeconds }),
            roleBindings: new RoleBindingsReader({
              api: createAstroApiClient({ discovery, auth }),
              logger,
              cacheSeconds,
            }),
            bootstrapOwners:
              config.getOptionalStringArray('astro.bootstrapOwners') ?? [],
          }),
        );
      },
    });
  },
});
