import { useMemo, useRef } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { AstroLinks, useAstroLinks } from '../../hooks/useAstroLinks';
import { DeploymentStatus } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { actorName } from '../common/format';
import { useTableInstanceKey } from '../common/tableInstanceKey';
import {
  WorkerCounts,
  WorkerCountsProvider,
  maxWorkersOf,
} from '../common/WorkerCounts';

const EXECUTORS: Record<string, string> = {
  CELERY: 'Celery',
  KUBERNETES: 'Kubernetes',
};

/** A row: a Deployment with the unique id material-table asks for. */
type Row = Deployment & { id: string };

function columns(links: AstroLinks): TableColumn<Row>[] {
  return [
    {
      title: 'Name',
      field: 'name',
      render: deployment => (
        <>
          <Link
            to={
              links.deployment(deployment.organization, deployment.name) ?? ''
            }
          >
            <strong>{deployment.name}</strong>
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

/** What the user set in the table: kept when the rows change. */
interface TableView {
  page: number;
  pageSize: number;
  search: string;
  /** The sorted column (-1 for none); unset: the columns' default. */
  sort?: { column: number; direction: 'asc' | 'desc' };
}

/**
 * The Deployments of a workspace, 20 to a page with search and sorting in
 * the browser: the whole list is loaded once, so a thousand Deployments stay
 * quick to browse.
 *
 * Whenever the rows change (a poll brought a new status) the table is a new
 * material-table instance, started at the page, search and sort the user
 * left: an instance whose props change warns that its columns are "static"
 * (see useTableInstanceKey). Between changes every prop keeps its identity
 * and content, and no column is `highlight`ed, which would give it a new
 * style function on every render.
 */
export function DeploymentsTable(props: {
  deployments: Deployment[] | undefined;
  loading: boolean;
  title?: string;
  emptyContent?: JSX.Element;
}) {
  const links = useAstroLinks();
  const rows = useMemo(
    () =>
      (props.deployments ?? []).map(d => ({
        ...d,
        id: `${d.organization}/${d.name}`,
      })),
    [props.deployments],
  );
  const key = useTableInstanceKey(rows);
  const view = useRef<TableView>({ page: 0, pageSize: 20, search: '' });
  const instance = useMemo(
    () => {
      const { page, pageSize, search, sort } = view.current;
      const cols = columns(links).map((column, index) =>
        sort
          ? {
              ...column,
              defaultSort: index === sort.column ? sort.direction : undefined,
            }
          : column,
      );
      return {
        columns: cols,
        options: {
          paging: rows.length > 20,
          pageSize,
          initialPage: page,
          pageSizeOptions: [20, 50, 100],
          search: true,
          searchText: search,
          padding: 'dense' as const,
          emptyRowsWhenPaging: false,
        },
      };
    },
    // A new instance per change of the rows; `links` is rebuilt on every
    // render, its route refs do not change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  return (
    <WorkerCountsProvider>
      <Table<Row>
        key={key}
        title={props.title ?? `Deployments (${rows.length})`}
        isLoading={props.loading}
        columns={instance.columns}
        data={rows}
        options={instance.options}
        onPageChange={(page, pageSize) => {
          view.current = { ...view.current, page, pageSize };
        }}
        onRowsPerPageChange={pageSize => {
          view.current = { ...view.current, page: 0, pageSize };
        }}
        onSearchChange={search => {
          view.current = { ...view.current, page: 0, search };
        }}
        onOrderChange={(column, direction) => {
          view.current = {
            ...view.current,
            // -1: the user turned sorting off.
            sort: { column, direction },
          };
        }}
        emptyContent={props.emptyContent}
      />
    </WorkerCountsProvider>
  );
}
