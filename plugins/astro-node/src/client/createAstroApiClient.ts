import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { AstroApiClient } from '@airflow-portal/plugin-astro-common';

/**
 * The Astro API client for a backend module: every request carries a
 * Backstage token issued for the Astro plugin on behalf of the given
 * credentials — the user running a template, say — or, by default, of the
 * module's own service.
 *
 * @public
 */
export function createAstroApiClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  /** Whom the requests are made for; the calling service when omitted. */
  onBehalfOf?: BackstageCredentials;
}): AstroApiClient {
  const { discovery, auth } = options;
  return new AstroApiClient({
    discoveryApi: discovery,
    fetchApi: {
      async fetch(input: RequestInfo | URL, init?: RequestInit) {
        const { token } = await auth.getPluginRequestToken({
          onBehalfOf:
            options.onBehalfOf ?? (await auth.getOwnServiceCredentials()),
          targetPluginId: 'astro',
        });
        const request = new Request(input, init);
        request.headers.set('Authorization', `Bearer ${token}`);
        return fetch(request);
      },
    },
  });
}
