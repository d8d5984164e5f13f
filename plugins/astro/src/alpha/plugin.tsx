import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  clustersRouteRef,
  createDeploymentRouteRef,
  deploymentRouteRef,
  editDeploymentRouteRef,
  organizationRouteRef,
  rootRouteRef,
  workspaceRouteRef,
} from '../routes';
import { AirflowIcon } from '../components/AirflowIcon';
import { astroApi } from './apis';
import { astroScaffolderFormFields } from '../scaffolder/alpha';
import {
  astroClusterEntityCard,
  astroClusterDeploymentsEntityCard,
  astroDeploymentEntityContent,
  astroDeploymentStatusEntityCard,
  astroOrganizationEntityCard,
  astroWorkspaceDeploymentsEntityCard,
  astroWorkspaceDeploymentsEntityContent,
} from './entityExtensions';

/**
 * The Airflow pages at `/astro`: the overview there, and workspaces,
 * Deployments and clusters below it (routed inside the page, see the
 * plugin's sub-route refs). Also the sidebar entry.
 */
export const astroOverviewPage = PageBlueprint.make({
  params: {
    path: '/astro',
    title: 'Airflow',
    icon: <AirflowIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('../components/AstroRouter').then(m => <m.AstroRoutes />),
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
  extensions: [
    astroApi,
    astroOverviewPage,
    ...astroScaffolderFormFields,
    astroDeploymentEntityContent,
    astroDeploymentStatusEntityCard,
    astroWorkspaceDeploymentsEntityContent,
    astroWorkspaceDeploymentsEntityCard,
    astroOrganizationEntityCard,
    astroClusterEntityCard,
    astroClusterDeploymentsEntityCard,
  ],
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
    organization: convertLegacyRouteRef(organizationRouteRef),
    workspace: convertLegacyRouteRef(workspaceRouteRef),
    deployment: convertLegacyRouteRef(deploymentRouteRef),
    createDeployment: convertLegacyRouteRef(createDeploymentRouteRef),
    editDeployment: convertLegacyRouteRef(editDeploymentRouteRef),
    clusters: convertLegacyRouteRef(clustersRouteRef),
  },
});
