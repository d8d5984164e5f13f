import { ReactNode, useEffect, useMemo, useState } from 'react';
import { EmptyState, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useDebounce from 'react-use/esm/useDebounce';
import {
  DEPLOYMENT_STATUSES,
  DeploymentStatus as Status,
  DeploymentSummary,
} from '@airflow-portal/plugin-astro-common';
import { AstroLinks, useAstroLinks } from '../../hooks/useAstroLinks';
import { useDeploymentSummaries } from '../../hooks/useDeploymentSummaries';
import { OrganizationWorkspaces } from '../../hooks/useOrganizationWorkspaces';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { DeploymentStatus, statusLabel } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { useDeploymentTableStyles } from '../common/tableStyles';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { actorName } from '../common/format';
import { WorkerCounts, WorkerCountsProvider } from '../common/WorkerCounts';
import { DeploymentFilters, PAGE_SIZES, isFiltering } from './homeState';
import { workspaceLabel } from './labels';

/** A column of the Deployments table. */
interface Column {
  title: string;
  numeric?: boolean;
  nowrap?: boolean;
  render: (deployment: DeploymentSummary) => ReactNode;
}

/** Looks up "Organization / Workspace" labels by names. */
type LabelOf = (organization: string, workspace: string) => string;

const DEPLOY_TYPES: Record<string, string> = {
  IMAGE: 'Image',
  DAG: 'DAGs',
  IMAGE_AND_DAG: 'Image and DAGs',
};

function columns(links: AstroLinks, labelOf: LabelOf): Column[] {
  return [
    {
      title: 'Name',
      nowrap: true,
      render: d => (
        <>
          <Link to={links.deployment(d.organization, d.name) ?? ''}>
            <strong>{d.name}</strong>
          </Link>
          {d.title && d.title !== d.name && (
            <Typography variant="body2" color="textSecondary">
              {d.title}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Organization / Workspace',
      render: d => (
        <Link to={links.workspace(d.organization, d.workspace) ?? ''}>
          {labelOf(d.organization, d.workspace)}
        </Link>
      ),
    },
    {
      title: 'Status',
      nowrap: true,
      render: d => (
        <DeploymentStatus status={d.status} reason={d.statusReason} />
      ),
    },
    { title: 'Airflow', render: d => d.settings.airflowVersion },
    {
      title: 'Workers (current / max)',
      render: d => <WorkerCounts deployment={d} />,
    },
    { title: 'Cluster', render: d => d.cluster },
    {
      title: 'Open incidents',
      numeric: true,
      render: d => (
        <Typography
          variant="body2"
          color={d.openIncidents > 0 ? 'error' : 'textSecondary'}
        >
          {d.openIncidents}
        </Typography>
      ),
    },
    {
      title: 'Last deploy',
      render: d =>
        d.lastDeploy ? (
          <>
            <RelativeTime timestamp={d.lastDeploy.createdAt} />
            <Typography variant="body2" color="textSecondary">
              {DEPLOY_TYPES[d.lastDeploy.type] ?? d.lastDeploy.type}
              {d.lastDeploy.status === 'FAILED' && ', failed'} by{' '}
              {actorName(d.lastDeploy.createdBy)}
            </Typography>
          </>
        ) : (
          <Typography variant="body2" color="textSecondary">
            No deploys yet
          </Typography>
        ),
    },
  ];
}

/** Organization, workspace, status and name filters. */
function Filters(props: {
  filters: DeploymentFilters;
  offered: OrganizationWorkspaces[];
  onChange: (filters: DeploymentFilters) => void;
}) {
  const { filters, offered, onChange } = props;
  const [text, setText] = useState(filters.search ?? '');
  // The address can change the search too (Clear filters, back button).
  useEffect(() => setText(filters.search ?? ''), [filters.search]);
  useDebounce(
    () => {
      const search = text.trim() || undefined;
      if (search !== filters.search) {
        onChange({ ...filters, search, page: 0 });
      }
    },
    300,
    [text],
  );
  const workspaces = offered
    .filter(
      o =>
        !filters.organization || o.organization.name === filters.organization,
    )
    .flatMap(o =>
      o.workspaces.map(w => ({
        value: `${o.organization.name}/${w.name}`,
        label: workspaceLabel(o.organization, w),
      })),
    );
  const workspaceValue =
    filters.organization && filters.workspace
      ? `${filters.organization}/${filters.workspace}`
      : '';
  return (
    <Grid container spacing={2} alignItems="center">
      <Grid item xs={12} md={3}>
        <TextField
          id="astro-home-search"
          label="Search by name or title"
          type="search"
          variant="outlined"
          size="small"
          fullWidth
          value={text}
          onChange={e => setText(e.target.value)}
        />
      </Grid>
      <Grid item xs={12} sm={4} md={3}>
        <TextField
          id="astro-home-organization"
          select
          label="Organization"
          variant="outlined"
          size="small"
          fullWidth
          value={filters.organization ?? ''}
          onChange={e =>
            onChange({
              ...filters,
              organization: e.target.value || undefined,
              workspace: undefined,
              page: 0,
            })
          }
        >
          <MenuItem value="">Any organization</MenuItem>
          {offered.map(({ organization }) => (
            <MenuItem key={organization.name} value={organization.name}>
              {organization.title || organization.name}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={4} md={3}>
        <TextField
          id="astro-home-workspace"
          select
          label="Workspace"
          variant="outlined"
          size="small"
          fullWidth
          value={workspaceValue}
          onChange={e => {
            const [organization, workspace] = e.target.value
              ? e.target.value.split('/')
              : [filters.organization, undefined];
            onChange({ ...filters, organization, workspace, page: 0 });
          }}
        >
          <MenuItem value="">Any workspace</MenuItem>
          {workspaces.map(w => (
            <MenuItem key={w.value} value={w.value}>
              {w.label}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={4} md={3}>
        <TextField
          id="astro-home-status"
          select
          label="Status"
          variant="outlined"
          size="small"
          fullWidth
          value={filters.status ?? ''}
          onChange={e =>
            onChange({
              ...filters,
              status: (e.target.value || undefined) as Status | undefined,
              page: 0,
            })
          }
        >
          <MenuItem value="">Any status</MenuItem>
          {DEPLOYMENT_STATUSES.map(status => (
            <MenuItem key={status} value={status}>
              {statusLabel(status)}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
    </Grid>
  );
}

/**
 * One page of Deployments with the paging controls. A plain table rather
 * than material-table: the backend filters and pages, so nothing is left
 * for material-table to do, and it warns about its columns whenever a
 * controlled table's rows change.
 */
function DeploymentsTable(props: {
  columns: Column[];
  items: DeploymentSummary[];
  totalCount: number | undefined;
  loading: boolean;
  filters: DeploymentFilters;
  onChange: (filters: DeploymentFilters) => void;
}) {
  const {
    columns: cols,
    items,
    totalCount,
    loading,
    filters,
    onChange,
  } = props;
  const classes = useDeploymentTableStyles();
  return (
    <Paper>
      <Box px={2} pt={2} pb={1}>
        <Typography variant="h5" component="h2" id="astro-home-table-title">
          {totalCount === undefined
            ? 'Deployments'
            : `Deployments (${totalCount})`}
        </Typography>
      </Box>
      <Box height={4}>
        {loading && <LinearProgress aria-label="Loading Deployments" />}
      </Box>
      <TableContainer>
        <MuiTable size="small" aria-labelledby="astro-home-table-title">
          <TableHead>
            <TableRow>
              {cols.map(c => (
                <TableCell
                  key={c.title}
                  align={c.numeric ? 'right' : 'left'}
                  className={classes.head}
                >
                  {c.title}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(d => (
              <TableRow key={`${d.organization}/${d.name}`} hover>
                {cols.map(c => (
                  <TableCell
                    key={c.title}
                    align={c.numeric ? 'right' : 'left'}
                    className={`${classes.cell} ${
                      c.nowrap ? classes.nowrap : ''
                    }`}
                  >
                    {c.render(d)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </MuiTable>
      </TableContainer>
      <TablePagination
        component="div"
        count={totalCount ?? 0}
        page={filters.page}
        rowsPerPage={filters.pageSize}
        rowsPerPageOptions={[...PAGE_SIZES]}
        onPageChange={(_, page) => onChange({ ...filters, page })}
        onRowsPerPageChange={e =>
          onChange({ ...filters, pageSize: Number(e.target.value), page: 0 })
        }
      />
    </Paper>
  );
}

/**
 * The Deployments across the user's organizations and workspaces: filtered
 * and paged by the backend, with one empty state when nothing matches.
 */
export function DeploymentsTab(props: {
  filters: DeploymentFilters;
  offered: OrganizationWorkspaces[];
  onChange: (filters: DeploymentFilters) => void;
}) {
  const { filters, offered, onChange } = props;
  const links = useAstroLinks();
  const summaries = useDeploymentSummaries({
    organization: filters.organization,
    workspace: filters.workspace,
    status: filters.status,
    search: filters.search,
    limit: filters.pageSize,
    offset: filters.page * filters.pageSize,
  });

  const labels = useMemo(() => {
    const map = new Map<string, string>();
    for (const { organization, workspaces } of offered) {
      for (const workspace of workspaces) {
        map.set(
          `${organization.name}/${workspace.name}`,
          workspaceLabel(organization, workspace),
        );
      }
    }
    return map;
  }, [offered]);
  const tableColumns = useMemo(
    () =>
      columns(
        links,
        (org, ws) => labels.get(`${org}/${ws}`) ?? `${org} / ${ws}`,
      ),
    // `links` is rebuilt on every render; its route refs do not change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [labels],
  );
  const items = summaries.value?.items ?? [];

  const totalCount = summaries.value?.totalCount;
  // A page past the end (the list shrank): go to the last page.
  useEffect(() => {
    if (totalCount !== undefined && totalCount > 0 && items.length === 0) {
      const last = Math.max(0, Math.ceil(totalCount / filters.pageSize) - 1);
      if (last !== filters.page) {
        onChange({ ...filters, page: last });
      }
    }
  }, [totalCount, items.length, filters, onChange]);

  const filtering = isFiltering(filters);
  const filterBar = (
    <Box mb={2} display="flex" alignItems="flex-start">
      <Box flexGrow={1}>
        <Filters filters={filters} offered={offered} onChange={onChange} />
      </Box>
      {filtering && (
        <Box ml={2} mt={0.5}>
          <Button
            onClick={() => onChange({ page: 0, pageSize: filters.pageSize })}
          >
            Clear filters
          </Button>
        </Box>
      )}
    </Box>
  );

  if (summaries.error && !summaries.value) {
    return (
      <>
        {filterBar}
        <AstroErrorPanel
          error={summaries.error}
          what="the Deployments"
          onRetry={summaries.retry}
        />
      </>
    );
  }

  let body;
  if (totalCount === 0 && filtering) {
    body = (
      <EmptyState
        missing="data"
        title="No Deployments match these filters"
        description="Nothing you can see matches every filter. Widen or clear them."
        action={
          <Button
            variant="contained"
            color="primary"
            onClick={() => onChange({ page: 0, pageSize: filters.pageSize })}
          >
            Clear filters
          </Button>
        }
      />
    );
  } else if (totalCount === 0) {
    body = (
      <EmptyState
        missing="content"
        title="No Deployments yet"
        description="A Deployment is an Apache Airflow environment in one of your workspaces. Create one with the button above, or ask a workspace owner for access."
      />
    );
  } else {
    body = (
      <WorkerCountsProvider>
        <DeploymentsTable
          columns={tableColumns}
          items={items}
          totalCount={totalCount}
          loading={summaries.loading}
          filters={filters}
          onChange={onChange}
        />
      </WorkerCountsProvider>
    );
  }
  return (
    <>
      {filterBar}
      {summaries.error && <StaleDataWarning error={summaries.error} />}
      {body}
    </>
  );
}
