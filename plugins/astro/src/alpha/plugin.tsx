import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { rootRouteRef } from '../routes';
import { AirflowIcon } from '../components/AirflowIcon';
import { astroApi } from './apis';
import { astroScaffolderFormFields } from '../scaffolder/alpha';

/** The Airflow overview page at `/astro`, also the sidebar entry. */
export const astroOverviewPage = PageBlueprint.make({
  params: {
    path: '/astro',
    title: 'Airflow',
    icon: <AirflowIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('../components/OverviewPage').then(m => <m.OverviewPage />),
  },
});

/**
 * The Airflow plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'astro',
  title: 'Airflow',
  icon: <AirflowIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  extensions: [astroApi, astroOverviewPage, ...astroScaffolderFormFields],
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
});
