import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

const OBO_PREFIX = 'Bearer mock-service-token:';

/**
 * The mock httpAuth service, except that user credentials a plugin passes
 * on ("on behalf of" the user, as the catalog does when it asks the
 * permission backend for a conditional decision) carry the calling service
 * as actor, like Backstage's real services. Without it the permission
 * backend takes those calls for direct user requests and refuses resource
 * permissions without a resource ref, and the apply-conditions endpoint
 * refuses them. Use it in test backends that run the real permission
 * backend.
 *
 * @public
 */
export function mockHttpAuthWithActors(
  defaultCredentials: BackstageCredentials,
) {
  return createServiceFactory({
    service: coreServices.httpAuth,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      const base = mockServices.httpAuth({
        pluginId: plugin.getId(),
        defaultCredentials,
      });
      return {
        issueUserCookie: base.issueUserCookie.bind(base),
        async credentials(req: any, options?: any) {
          const credentials: any = await base.credentials(req, options);
          const header = String(req.headers?.authorization ?? '');
          if (
            header.startsWith(OBO_PREFIX) &&
            JSON.parse(header.slice(OBO_PREFIX.length)).obo &&
            credentials.principal.type === 'user'
          ) {
            return {
              ...credentials,
              principal: {
                ...credentials.principal,
                actor: { type: 'service', subject: 'plugin:mock-caller' },
              },
            };
          }
          return credentials;
        },
      } as any;
    },
  });
}
