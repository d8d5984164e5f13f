import { Link, Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { AstroLinks, useAstroLinks } from '../../hooks/useAstroLinks';
import { DeploymentStatus } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { actorName } from '../common/format';
import {
  WorkerCounts,
  WorkerCountsProvider,
  maxWorkersOf,
} from '../common/WorkerCounts';

const EXECUTORS: Record<string, string> = {
  CELERY: 'Celery',
  KUBERNETES: 'Kubernetes',
};

function columns(links: AstroLinks): TableColumn<Deployment>[] {
  return [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: deployment => (
        <>
          <Link
            to={
              links.deployment(deployment.organization, deployment.name) ?? ''
            }
          >
            {deployment.name}
          </Link>
          {deployment.title && deployment.title !== deployment.name && (
            <Typography variant="body2" color="textSecondary">
              {deployment.title}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      cellStyle: { whiteSpace: 'nowrap' },
      render: deployment => (
        <DeploymentStatus
          status={deployment.status}
          reason={deployment.statusReason}
        />
      ),
    },
    { title: 'Airflow', field: 'settings.airflowVersion' },
    {
      title: 'Executor',
      field: 'settings.executor',
      render: deployment =>
        EXECUTORS[deployment.settings.executor] ?? deployment.settings.executor,
    },
    {
      title: 'Workers (current / max)',
      field: 'settings.workerQueues',
      customSort: (a, b) => maxWorkersOf(a) - maxWorkersOf(b),
      render: deployment => <WorkerCounts deployment={deployment} />,
    },
    { title: 'Cluster', field: 'cluster' },
    {
      title: 'Last change',
      field: 'updatedAt',
      defaultSort: 'desc',
      render: deployment => (
        <>
          <RelativeTime timestamp={deployment.updatedAt} />
          <Typography variant="body2" color="textSecondary">
            by {actorName(deployment.updatedBy)}
          </Typography>
        </>
      ),
    },
  ];
}

/**
 * The Deployments of a workspace, 20 to a page with search and sorting in
 * the browser: the whole list is loaded once, so a thousand Deployments stay
 * quick to browse.
 */
export function DeploymentsTable(props: {
  deployments: Deployment[] | undefined;
  loading: boolean;
  title?: string;
  emptyContent?: JSX.Element;
}) {
  const links = useAstroLinks();
  const data = props.deployments ?? [];
  return (
    <WorkerCountsProvider>
      <Table<Deployment>
        title={props.title ?? `Deployments (${data.length})`}
        isLoading={props.loading}
        columns={columns(links)}
        data={data}
        options={{
          paging: data.length > 20,
          pageSize: 20,
          pageSizeOptions: [20, 50, 100],
          search: true,
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
        emptyContent={props.emptyContent}
      />
    </WorkerCountsProvider>
  );
}
