import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Deployment,
  Organization,
  astroOrganizationChannel,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { AstroLinks, useAstroLinks } from '../../hooks/useAstroLinks';
import { useDeployments } from '../../hooks/useDeployments';
import { useOpenIncidents } from '../../hooks/useOpenIncidents';
import { usePolled } from '../../hooks/usePolled';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { CatalogEntityLink } from '../common/CatalogEntityLink';
import { StatusCounts } from '../common/StatusCounts';
import {
  OverviewFilter,
  WorkspaceMatch,
  filterWorkspaces,
  isFiltering,
} from './filter';

/** Open incidents of the organization, as far as they could be counted. */
function OpenIncidents(props: { organization: string }) {
  const { value, error } = useOpenIncidents(props.organization);
  let text: string;
  if (error) {
    text = 'Open incidents: not available';
  } else if (!value) {
    text = 'Open incidents: counting…';
  } else {
    text = `Open incidents: ${value.capped ? 'at least ' : ''}${value.open}`;
  }
  return (
    <Typography variant="body2" color={value?.open ? 'error' : 'textPrimary'}>
      {text}
    </Typography>
  );
}

function DeploymentLinks(props: {
  deployments: Deployment[];
  links: AstroLinks;
}) {
  const shown = props.deployments.slice(0, 5);
  return (
    <>
      {shown.map((deployment, index) => (
        <span key={deployment.name}>
          {index > 0 && ', '}
          <Link
            to={
              props.links.deployment(
                deployment.organization,
                deployment.name,
              ) ?? ''
            }
          >
            {deployment.name}
          </Link>
        </span>
      ))}
      {props.deployments.length > shown.length &&
        ` and ${props.deployments.length - shown.length} more`}
    </>
  );
}

function workspaceColumns(
  links: AstroLinks,
  filtering: boolean,
): TableColumn<WorkspaceMatch>[] {
  const columns: TableColumn<WorkspaceMatch>[] = [
    {
      title: 'Workspace',
      field: 'workspace.name',
      highlight: true,
      render: ({ workspace }) => (
        <>
          <Link
            to={links.workspace(workspace.organization, workspace.name) ?? ''}
          >
            {workspace.title || workspace.name}
          </Link>
          {workspace.description && (
            <Typography variant="body2" color="textSecondary">
              {workspace.description}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Owner',
      field: 'workspace.owner',
      render: ({ workspace }) =>
        workspace.owner ? (
          <CatalogEntityLink entityRef={workspace.owner} defaultKind="group" />
        ) : (
          'No owner'
        ),
    },
    {
      title: 'Deployments',
      field: 'deployments.length',
      type: 'numeric',
      render: ({ deployments }) => deployments.length,
    },
    {
      title: 'Health',
      sorting: false,
      render: ({ workspace, deployments }) => (
        <StatusCounts
          deployments={deployments}
          label={`Deployments of ${workspace.name} by status`}
        />
      ),
    },
  ];
  if (filtering) {
    columns.push({
      title: 'Matching Deployments',
      sorting: false,
      render: ({ matches }) =>
        matches.length ? (
          <DeploymentLinks deployments={matches} links={links} />
        ) : (
          '—'
        ),
    });
  }
  return columns;
}

/**
 * One organization on the overview: a health summary of its Deployments
 * and its workspaces, narrowed by the filter.
 */
export function OrganizationOverview(props: {
  organization: Organization;
  filter: OverviewFilter;
  /** Link the card to the organization's page (when it is mounted). */
  linkToPage?: boolean;
}) {
  const { organization, filter, linkToPage } = props;
  const astroApi = useApi(astroApiRef);
  const links = useAstroLinks();
  // Read again when the organization's signal says something changed.
  const workspaces = usePolled(
    async () =>
      (await astroApi.listWorkspaces({ path: { org: organization.name } }))
        .items,
    [astroApi, organization.name],
    () => null,
    { liveChannel: astroOrganizationChannel(organization.name) },
  );
  const deployments = useDeployments(organization.name);
  const error = workspaces.error ?? deployments.error;
  const filtering = isFiltering(filter);
  const rows =
    workspaces.value && deployments.value
      ? filterWorkspaces(workspaces.value, deployments.value, filter)
      : [];

  const page = linkToPage ? links.organization(organization.name) : undefined;
  return (
    <InfoCard
      title={organization.title || organization.name}
      subheader={
        organization.description || `Organization ${organization.name}`
      }
      deepLink={
        page ? { title: 'Members, access and settings', link: page } : undefined
      }
    >
      {error ? (
        <AstroErrorPanel
          error={error}
          what={`the workspaces of ${organization.name}`}
          onRetry={() => {
            workspaces.retry();
            deployments.retry();
          }}
        />
      ) : (
        <>
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            justifyContent="space-between"
            mb={2}
          >
            {deployments.value ? (
              <StatusCounts
                deployments={deployments.value}
                label={`Deployments of ${organization.name} by status`}
              />
            ) : (
              <Typography variant="body2">Counting Deployments…</Typography>
            )}
            <OpenIncidents organization={organization.name} />
          </Box>
          <Table<WorkspaceMatch>
            title={`Workspaces of ${organization.title || organization.name}`}
            isLoading={!workspaces.value || !deployments.value}
            columns={workspaceColumns(links, filtering)}
            data={rows}
            options={{
              paging: rows.length > 20,
              pageSize: 20,
              search: false,
              padding: 'dense',
              toolbar: false,
            }}
            emptyContent={
              <Box p={2}>
                <Typography>
                  {filtering
                    ? 'No workspace or Deployment matches the filter.'
                    : 'This organization has no workspaces yet.'}
                </Typography>
              </Box>
            }
          />
        </>
      )}
    </InfoCard>
  );
}
