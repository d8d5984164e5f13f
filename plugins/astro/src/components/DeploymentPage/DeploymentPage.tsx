import { useState } from 'react';
import { LinkButton, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { makeStyles } from '@material-ui/core/styles';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  Deployment,
  astroDeploymentDeletePermission,
  astroDeploymentUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import {
  useAstroPermission,
  deploymentResourceRef,
} from '../../hooks/useAstroPermission';
import { useDeployment } from '../../hooks/useDeployment';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { deploymentBreadcrumbs } from '../common/deploymentBreadcrumbs';
import { DeploymentStatus } from '../common/DeploymentStatus';
import { LiveIndicator } from '../common/LiveIndicator';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { DeploymentAlertRulesCard } from '../Alerts';
import { DeploymentApiTokensCard } from '../ApiTokens';
import { RoleBindingsCard, YourAccessCard } from '../Access';
import { CodeCard, DeployHistoryCard, DeploysProvider } from '../Deploys';
import { DeploymentFileCard } from '../DeploymentFile';
import { VariablesCard } from '../EnvironmentVariables/VariablesCard';
import { AirflowDagsCard } from './AirflowDagsCard';
import { AirflowVersionNotices } from './AirflowVersionNotices';
import { ComponentsCard } from './ComponentsCard';
import { DeleteDeploymentDialog } from './DeleteDeploymentDialog';
import { DeploymentStatusCard } from './DeploymentStatusCard';
import {
  DEPLOYMENT_TABS,
  DEPLOYMENT_TAB_LABELS,
  DeploymentTab,
  deploymentTabOf,
  withDeploymentTab,
} from './deploymentTabs';
import { EventsCard } from './EventsCard';
import { HistoryCard } from './history/HistoryCard';
import { OpenAirflowButton } from './OpenAirflowButton';
import { IncidentsCard } from './IncidentsCard';
import { SettingsCard } from './SettingsCard';
import { HibernationCard } from '../Hibernation/HibernationCard';

function DeploymentActions(props: {
  deployment: Deployment;
  onDelete: () => void;
}) {
  const { deployment, onDelete } = props;
  const links = useAstroLinks();
  const resourceRef = deploymentResourceRef(deployment);
  const canUpdate = useAstroPermission(
    astroDeploymentUpdatePermission,
    resourceRef,
  ).allowed;
  const canDelete = useAstroPermission(
    astroDeploymentDeletePermission,
    resourceRef,
  ).allowed;
  const deleting = deployment.status === 'DELETING';
  const edit = links.editDeployment(deployment.organization, deployment.name);
  return (
    <Box display="flex" flexWrap="wrap" gridGap={8}>
      <OpenAirflowButton deployment={deployment} />
      {canUpdate && edit && !deleting && (
        <LinkButton to={edit} variant="outlined" startIcon={<EditIcon />}>
          Edit settings
        </LinkButton>
      )}
      {canDelete && !deleting && (
        <Button
          variant="outlined"
          color="secondary"
          startIcon={<DeleteIcon />}
          onClick={onDelete}
        >
          Delete
        </Button>
      )}
    </Box>
  );
}

const useStyles = makeStyles(theme => ({
  tabs: { borderBottom: `1px solid ${theme.palette.divider}` },
}));

/** The cards of one tab of the Deployment page. */
function TabCards(props: {
  tab: DeploymentTab;
  deployment: Deployment;
  onChange?: () => void;
}) {
  const { tab, deployment, onChange } = props;
  const accessScope = {
    kind: 'deployment' as const,
    organization: deployment.organization,
    deployment: deployment.name,
  };
  switch (tab) {
    case 'workers':
      return (
        <Grid item xs={12}>
          <ComponentsCard deployment={deployment} />
        </Grid>
      );
    case 'dags':
      return (
        <Grid item xs={12}>
          <AirflowDagsCard deployment={deployment} />
        </Grid>
      );
    case 'deploys':
      return (
        <>
          <Grid item xs={12}>
            <CodeCard deployment={deployment} />
          </Grid>
          <Grid item xs={12}>
            <DeployHistoryCard deployment={deployment} />
          </Grid>
        </>
      );
    case 'incidents':
      return (
        <>
          <Grid item xs={12}>
            <IncidentsCard deployment={deployment} />
          </Grid>
          <Grid item xs={12}>
            <DeploymentAlertRulesCard deployment={deployment} />
          </Grid>
        </>
      );
    case 'environment':
      return (
        <Grid item xs={12}>
          <VariablesCard deployment={deployment} />
        </Grid>
      );
    case 'access':
      return (
        <>
          {/* Half each: in a third of the page, Your access clipped its
              role lines (a role held through a group names the group). */}
          <Grid item xs={12} md={6}>
            <RoleBindingsCard scope={accessScope} />
          </Grid>
          <Grid item xs={12} md={6}>
            <YourAccessCard scope={accessScope} />
          </Grid>
          <Grid item xs={12}>
            <DeploymentApiTokensCard deployment={deployment} />
          </Grid>
        </>
      );
    case 'settings':
      return (
        <>
          <Grid item xs={12}>
            <SettingsCard deployment={deployment} />
          </Grid>
          <Grid item xs={12}>
            <HibernationCard deployment={deployment} onChange={onChange} />
          </Grid>
          <Grid item xs={12}>
            <DeploymentFileCard deployment={deployment} />
          </Grid>
        </>
      );
    case 'events':
      return (
        <Grid item xs={12}>
          <EventsCard deployment={deployment} />
        </Grid>
      );
    case 'overview':
    default:
      return (
        <>
          <Grid item xs={12}>
            <DeploymentStatusCard deployment={deployment} />
          </Grid>
          <Grid item xs={12}>
            <HistoryCard deployment={deployment} />
          </Grid>
        </>
      );
  }
}

/**
 * Everything about a running Deployment, in tabs: status and history
 * (Overview), components and worker queues, DAGs, code and deploys,
 * incidents and alert rules, environment variables, access and API tokens,
 * settings and hibernation, and events. The tab lives in the address
 * (`?tab=dags`), so links and reloads keep it; an unknown tab shows
 * Overview. Notices about the Airflow version stay above the tabs.
 * `onChange` is called when a deploy has finished, so that the caller reads
 * the Deployment (its image and DAG bundle) again.
 */
export function DeploymentDetails(props: {
  deployment: Deployment;
  onChange?: () => void;
}) {
  const { deployment, onChange } = props;
  const classes = useStyles();
  const [params, setParams] = useSearchParams();
  const tab = deploymentTabOf(params);
  return (
    <DeploysProvider deployment={deployment} onSettled={onChange}>
      <AirflowVersionNotices deployment={deployment} onChange={onChange} />
      <Box mb={3} className={classes.tabs}>
        <Tabs
          value={tab}
          onChange={(_, next: DeploymentTab) =>
            setParams(current => withDeploymentTab(current, next))
          }
          indicatorColor="primary"
          textColor="primary"
          variant="scrollable"
          scrollButtons="auto"
          aria-label="Deployment"
        >
          {DEPLOYMENT_TABS.map(t => (
            <Tab
              key={t}
              value={t}
              label={DEPLOYMENT_TAB_LABELS[t]}
              id={`astro-deployment-tab-${t}`}
              aria-controls={`astro-deployment-panel-${t}`}
            />
          ))}
        </Tabs>
      </Box>
      <div
        role="tabpanel"
        id={`astro-deployment-panel-${tab}`}
        aria-labelledby={`astro-deployment-tab-${tab}`}
      >
        <Grid container spacing={3}>
          <TabCards tab={tab} deployment={deployment} onChange={onChange} />
        </Grid>
      </div>
    </DeploysProvider>
  );
}

/** The page of one Deployment. */
export function DeploymentPage() {
  const { org = '', dep = '' } = useParams();
  const links = useAstroLinks();
  const navigate = useNavigate();
  const [deleteOpen, setDeleteOpen] = useState(false);
  const { value: deployment, error, retry, live } = useDeployment(org, dep);
  const breadcrumbs = deploymentBreadcrumbs(links, {
    organization: org,
    workspace: deployment?.workspace,
    deployment: dep,
  });

  if (error && !deployment) {
    return (
      <AstroContent title={dep} breadcrumbs={breadcrumbs}>
        <AstroErrorPanel
          error={error}
          what={`Deployment ${dep}`}
          onRetry={retry}
        />
      </AstroContent>
    );
  }
  if (!deployment) {
    return (
      <AstroContent title={dep} breadcrumbs={breadcrumbs}>
        <Progress aria-label="Loading the Deployment" />
      </AstroContent>
    );
  }
  return (
    <AstroContent
      title={deployment.title || deployment.name}
      titleAddon={
        <>
          <DeploymentStatus
            status={deployment.status}
            reason={deployment.statusReason}
          />
          <LiveIndicator live={live} />
        </>
      }
      description={deployment.description || undefined}
      breadcrumbs={breadcrumbs}
      actions={
        <DeploymentActions
          deployment={deployment}
          onDelete={() => setDeleteOpen(true)}
        />
      }
    >
      {error && <StaleDataWarning error={error} />}
      <DeploymentDetails deployment={deployment} onChange={retry} />
      <DeleteDeploymentDialog
        deployment={deployment}
        open={deleteOpen}
        onClose={() => setDeleteOpen(false)}
        onDeleted={() => {
          setDeleteOpen(false);
          navigate(links.workspace(org, deployment.workspace) ?? '/');
        }}
      />
    </AstroContent>
  );
}
