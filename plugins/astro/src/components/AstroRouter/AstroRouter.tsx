import { ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import {
  Content,
  Header,
  Page,
  WarningPanel,
} from '@backstage/core-components';
import {
  clustersRouteRef,
  createDeploymentRouteRef,
  deploymentRouteRef,
  editDeploymentRouteRef,
  organizationRouteRef,
  workspaceRouteRef,
} from '../../routes';
import { HomePage } from '../HomePage';
import { OrganizationPage } from '../OrganizationPage';
import { WorkspacePage } from '../WorkspacePage';
import { CreateDeploymentPage, EditDeploymentPage } from '../DeploymentForm';
import { DeploymentPage } from '../DeploymentPage';
import { ClustersPage } from '../ClustersPage';

function NotFound() {
  return (
    <Content>
      <WarningPanel severity="info" title="There is no Airflow page here">
        Check the address, or start again from the Airflow home.
      </WarningPanel>
    </Content>
  );
}

/**
 * The Airflow pages under the plugin's mount point, routed with React
 * Router v6. Paths come from the plugin's sub-route refs so links and routes
 * cannot drift apart.
 */
export function AstroRoutes() {
  return (
    <ReactRouterV6PageRouter>
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route
          path={organizationRouteRef.path}
          element={<OrganizationPage />}
        />
        <Route path={workspaceRouteRef.path} element={<WorkspacePage />} />
        <Route
          path={createDeploymentRouteRef.path}
          element={<CreateDeploymentPage />}
        />
        <Route path={deploymentRouteRef.path} element={<DeploymentPage />} />
        <Route
          path={editDeploymentRouteRef.path}
          element={<EditDeploymentPage />}
        />
        <Route path={clustersRouteRef.path} element={<ClustersPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </ReactRouterV6PageRouter>
  );
}

/**
 * The Airflow pages for a legacy app, which (unlike the new frontend
 * system) does not draw a plugin header around them.
 */
export function AstroLegacyPage(props: { children?: ReactNode }) {
  return (
    <Page themeId="tool">
      <Header
        title="Airflow"
        subtitle="Apache Airflow Deployments on your Kubernetes clusters"
      />
      {props.children ?? <AstroRoutes />}
    </Page>
  );
}
