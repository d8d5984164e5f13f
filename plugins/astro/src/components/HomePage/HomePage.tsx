import { useCallback, useMemo } from 'react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { makeStyles } from '@material-ui/core/styles';
import { useSearchParams } from 'react-router-dom';
import { useOrganizationWorkspaces } from '../../hooks/useOrganizationWorkspaces';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { CLUSTERS_DESCRIPTION, ClustersTable } from '../ClustersPage';
import { NoOrganizations, WorkspacesOverview } from '../OverviewPage';
import { CreateDeploymentButton } from './CreateDeploymentButton';
import { DeploymentsTab } from './DeploymentsTab';
import {
  DeploymentFilters,
  HOME_TABS,
  HomeTab,
  filtersOf,
  tabOf,
  toParams,
} from './homeState';

const TAB_LABELS: Record<HomeTab, string> = {
  deployments: 'Deployments',
  workspaces: 'Workspaces',
  clusters: 'Clusters',
};

/**
 * The Airflow home: the Deployments across the user's organizations and
 * workspaces, the workspaces by organization, and the clusters, as tabs.
 * The tab and the filters live in the address, so a filtered list can be
 * bookmarked, shared and reached again with the back button.
 */
const useStyles = makeStyles(theme => ({
  tabs: { borderBottom: `1px solid ${theme.palette.divider}` },
}));

export function HomePage() {
  const classes = useStyles();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params);
  const filters = useMemo(() => filtersOf(params), [params]);
  const offered = useOrganizationWorkspaces();

  const show = useCallback(
    (nextTab: HomeTab, nextFilters: DeploymentFilters) =>
      setParams(current => toParams(current, nextTab, nextFilters)),
    [setParams],
  );
  const onFiltersChange = useCallback(
    (next: DeploymentFilters) => show('deployments', next),
    [show],
  );

  let body;
  if (tab === 'clusters') {
    body = <ClustersTable />;
  } else if (tab === 'workspaces') {
    body = (
      <WorkspacesOverview
        organizations={offered.value?.map(o => o.organization)}
        error={offered.error}
        onRetry={offered.retry}
      />
    );
  } else if (offered.error) {
    body = (
      <AstroErrorPanel
        error={offered.error}
        what="the organizations"
        onRetry={offered.retry}
      />
    );
  } else if (!offered.value) {
    body = <Progress aria-label="Loading organizations" />;
  } else if (offered.value.length === 0) {
    body = <NoOrganizations />;
  } else {
    body = (
      <DeploymentsTab
        filters={filters}
        offered={offered.value}
        onChange={onFiltersChange}
      />
    );
  }

  return (
    <AstroContent
      title="Airflow Deployments"
      description={
        tab === 'clusters'
          ? CLUSTERS_DESCRIPTION
          : 'Create and operate Apache Airflow environments on your registered Kubernetes clusters.'
      }
      actions={
        offered.value && <CreateDeploymentButton offered={offered.value} />
      }
    >
      <Box mb={3} className={classes.tabs}>
        <Tabs
          value={tab}
          onChange={(_, next: HomeTab) => show(next, filters)}
          indicatorColor="primary"
          textColor="primary"
          aria-label="Airflow home"
        >
          {HOME_TABS.map(t => (
            <Tab
              key={t}
              value={t}
              label={TAB_LABELS[t]}
              id={`astro-home-tab-${t}`}
              aria-controls={`astro-home-panel-${t}`}
            />
          ))}
        </Tabs>
      </Box>
      <div
        role="tabpanel"
        id={`astro-home-panel-${tab}`}
        aria-labelledby={`astro-home-tab-${tab}`}
      >
        {body}
      </div>
    </AstroContent>
  );
}
