import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { rootRouteRef } from './routes';

/**
 * The Airflow plugin for apps on Backstage's legacy frontend system.
 *
 * @public
 */
export const astroPlugin = createPlugin({
  id: 'astro',
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
