import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';
import { astroApiRef, AstroClient } from './api';

/**
 * The Airflow plugin for apps on Backstage's legacy frontend system.
 *
 * @public
 */
export const astroPlugin = createPlugin({
  id: 'astro',
  apis: [
    createApiFactory({
      api: astroApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AstroClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The Airflow pages, for mounting in a legacy app's routes.
 *
 * @public
 */
export const AstroPage = astroPlugin.provide(
  createRoutableExtension({
    name: 'AstroPage',
    component: () =>
      import('./components/OverviewPage').then(m => m.OverviewPage),
    mountPoint: rootRouteRef,
  }),
);
