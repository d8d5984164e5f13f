import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { astroApiRef, AstroApiClient } from '../api';

/** Provides the {@link AstroApi} client to the app. */
export const astroApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: astroApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AstroApiClient({ discoveryApi, fetchApi }),
    }),
});
