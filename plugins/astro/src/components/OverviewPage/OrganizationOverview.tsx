import { useMemo } from 'react';
import { InfoCard, Link, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Deployment,
  Organization,
  Workspace,
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
import { useTableInstanceKey } from '../common/tableInstanceKey';

/** A workspace row with its Deployments; `id` keeps material-table's row state. */
interface WorkspaceRow {
  id: string;
  workspace: Workspace;
  deployments: Deployment[];
}

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

function workspaceColumns(links: AstroLinks): TableColumn<WorkspaceRow>[] {
  return [
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
}

/**
 * One organization on the overview: a health summary of its Deployments
 * and its workspaces.
 */
export function OrganizationOverview(props: {
  organization: Organization;
  /** Link the card to the organization's page (when it is mounted). */
  linkToPage?: boolean;
}) {
  const { organization, linkToPage } = props;
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
  const rows = useMemo<WorkspaceRow[]>(() => {
    if (!workspaces.value || !deployments.value) {
      return [];
    }
    const all = deployments.value;
    return workspaces.value.map(workspace => ({
      id: workspace.name,
      workspace,
      deployments: all.filter(d => d.workspace === workspace.name),
    }));
  }, [workspaces.value, deployments.value]);
  // Stable columns and options; a new table instance when the rows change
  // (see useTableInstanceKey).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => workspaceColumns(links), []);
  const options = useMemo(
    () => ({
      paging: rows.length > 20,
      pageSize: 20,
      search: false,
      padding: 'dense' as const,
      toolbar: false,
    }),
    [rows.length],
  );
  const tableKey = useTableInstanceKey([rows, options]);

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
          <Table<WorkspaceRow>
            key={tableKey}
            title={`Workspaces of ${organization.title || organization.name}`}
            isLoading={!workspaces.value || !deployments.value}
            columns={columns}
            data={rows}
            options={options}
            emptyContent={
              <Box p={2}>
                <Typography>
                  This organization has no workspaces yet.
                </Typography>
              </Box>
            }
          />
        </>
      )}
    </InfoCard>
  );
}
