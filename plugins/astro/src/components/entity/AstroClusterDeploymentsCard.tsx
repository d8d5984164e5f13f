import { useEffect, useMemo, useState } from 'react';
import { EmptyState, InfoCard, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { useDeploymentSummaries } from '../../hooks/useDeploymentSummaries';
import { useOrganizationWorkspaces } from '../../hooks/useOrganizationWorkspaces';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { DeploymentStatus } from '../common/DeploymentStatus';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { workspaceLabel } from '../HomePage/labels';
import { NotAnAstroEntity } from './NotAnAstroEntity';
import { useAstroEntityResource } from './useAstroEntity';

/** Rows per page: the card sits on an overview beside other cards. */
export const CLUSTER_DEPLOYMENTS_PAGE_SIZE = 10;

/** "Organization / Workspace" labels by titles, once they are loaded. */
function useWorkspaceLabels() {
  const offered = useOrganizationWorkspaces();
  return useMemo(() => {
    const labels = new Map<string, string>();
    for (const { organization, workspaces } of offered.value ?? []) {
      for (const workspace of workspaces) {
        labels.set(
          `${organization.name}/${workspace.name}`,
          workspaceLabel(organization, workspace),
        );
      }
    }
    return (org: string, ws: string) =>
      labels.get(`${org}/${ws}`) ?? `${org} / ${ws}`;
  }, [offered.value]);
}

/** One page of the Deployments on a cluster, with its paging controls. */
function ClusterDeploymentsCard(props: { cluster: string }) {
  const { cluster } = props;
  const links = useAstroLinks();
  const labelOf = useWorkspaceLabels();
  const [page, setPage] = useState(0);
  const summaries = useDeploymentSummaries({
    cluster,
    limit: CLUSTER_DEPLOYMENTS_PAGE_SIZE,
    offset: page * CLUSTER_DEPLOYMENTS_PAGE_SIZE,
  });
  const items = summaries.value?.items ?? [];
  const totalCount = summaries.value?.totalCount;

  // A page past the end (Deployments were deleted): go to the last page.
  useEffect(() => {
    if (totalCount !== undefined && totalCount > 0 && items.length === 0) {
      setPage(Math.ceil(totalCount / CLUSTER_DEPLOYMENTS_PAGE_SIZE) - 1);
    }
  }, [totalCount, items.length]);

  let body;
  if (summaries.error && !summaries.value) {
    body = (
      <AstroErrorPanel
        error={summaries.error}
        what={`the Deployments on cluster ${cluster}`}
        onRetry={summaries.retry}
      />
    );
  } else if (totalCount === 0) {
    body = (
      <EmptyState
        missing="content"
        title="No Deployments on this cluster"
        description="Deployments you may see appear here once they are created on this cluster."
      />
    );
  } else {
    body = (
      <>
        {summaries.error && <StaleDataWarning error={summaries.error} />}
        <Box height={4}>
          {summaries.loading && (
            <LinearProgress aria-label="Loading the Deployments" />
          )}
        </Box>
        <Table size="small" aria-label="Deployments on this cluster">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Organization / Workspace</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Airflow</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(d => (
              <TableRow key={`${d.organization}/${d.name}`}>
                <TableCell>
                  <Link to={links.deployment(d.organization, d.name) ?? ''}>
                    <strong>{d.name}</strong>
                  </Link>
                  {d.title && d.title !== d.name && (
                    <Typography variant="body2" color="textSecondary">
                      {d.title}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <Link to={links.workspace(d.organization, d.workspace) ?? ''}>
                    {labelOf(d.organization, d.workspace)}
                  </Link>
                </TableCell>
                <TableCell>
                  <DeploymentStatus status={d.status} reason={d.statusReason} />
                </TableCell>
                <TableCell>{d.settings.airflowVersion}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <TablePagination
          component="div"
          count={totalCount ?? 0}
          page={page}
          rowsPerPage={CLUSTER_DEPLOYMENTS_PAGE_SIZE}
          rowsPerPageOptions={[]}
          onPageChange={(_, next) => setPage(next)}
        />
      </>
    );
  }
  const home = links.overview();
  return (
    <InfoCard
      title={
        totalCount === undefined
          ? 'Deployments on this cluster'
          : `Deployments on this cluster (${totalCount})`
      }
      deepLink={home ? { title: 'All Deployments', link: home } : undefined}
    >
      {body}
    </InfoCard>
  );
}

/**
 * The Deployments on an AstroCluster entity's cluster, a page at a time,
 * filtered by the backend (to those the user may see) rather than drawn as
 * catalog relations, which grow the page with every Deployment.
 */
export function AstroClusterDeploymentsCard() {
  const resource = useAstroEntityResource();
  if (resource?.type !== 'cluster') {
    return (
      <InfoCard title="Deployments on this cluster">
        <NotAnAstroEntity expected="AstroCluster" />
      </InfoCard>
    );
  }
  return <ClusterDeploymentsCard cluster={resource.cluster} />;
}
