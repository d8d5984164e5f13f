import { ReactNode, useEffect, useMemo, useState } from 'react';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import InputAdornment from '@material-ui/core/InputAdornment';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import useDebounce from 'react-use/esm/useDebounce';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { AstroLinks, useAstroLinks } from '../../hooks/useAstroLinks';
import { DeploymentStatus, statusLabel } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { useDeploymentTableStyles } from '../common/tableStyles';
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

const PAGE_SIZE_OPTIONS = [20, 50, 100];

/** A column: what it shows, what it sorts by, and what search finds in it. */
interface Column {
  id: string;
  title: string;
  nowrap?: boolean;
  render: (deployment: Deployment) => ReactNode;
  sortValue: (deployment: Deployment) => string | number;
  /** Text the search looks in; none: the column is not searched. */
  searchText?: (deployment: Deployment) => string;
}

function columns(links: AstroLinks): Column[] {
  return [
    {
      id: 'name',
      title: 'Name',
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
      sortValue: d => d.name,
      searchText: d => `${d.name} ${d.title ?? ''}`,
    },
    {
      id: 'status',
      title: 'Status',
      nowrap: true,
      render: d => (
        <DeploymentStatus status={d.status} reason={d.statusReason} />
      ),
      sortValue: d => statusLabel(d.status),
      searchText: d => statusLabel(d.status),
    },
    {
      id: 'airflow',
      title: 'Airflow',
      render: d => d.settings.airflowVersion,
      sortValue: d => d.settings.airflowVersion,
      searchText: d => d.settings.airflowVersion,
    },
    {
      id: 'executor',
      title: 'Executor',
      render: d => EXECUTORS[d.settings.executor] ?? d.settings.executor,
      sortValue: d => d.settings.executor,
      searchText: d => EXECUTORS[d.settings.executor] ?? d.settings.executor,
    },
    {
      id: 'workers',
      title: 'Workers (current / max)',
      render: d => <WorkerCounts deployment={d} />,
      sortValue: d => maxWorkersOf(d),
    },
    {
      id: 'cluster',
      title: 'Cluster',
      render: d => d.cluster,
      sortValue: d => d.cluster,
      searchText: d => d.cluster,
    },
    {
      id: 'updated',
      title: 'Last change',
      render: d => (
        <>
          <RelativeTime timestamp={d.updatedAt} />
          <Typography variant="body2" color="textSecondary">
            by {actorName(d.updatedBy)}
          </Typography>
        </>
      ),
      sortValue: d => Date.parse(d.updatedAt),
    },
  ];
}

/** How the rows are ordered. */
interface Sort {
  column: string;
  direction: 'asc' | 'desc';
}

const DEFAULT_SORT: Sort = { column: 'updated', direction: 'desc' };

/** The rows that match the search, in the chosen order. */
export function visibleRows(
  deployments: Deployment[],
  cols: Column[],
  search: string,
  sort: Sort,
): Deployment[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = words.length
    ? deployments.filter(d => {
        const text = cols
          .map(c => c.searchText?.(d) ?? '')
          .join(' ')
          .toLowerCase();
        return words.every(word => text.includes(word));
      })
    : deployments;
  const column = cols.find(c => c.id === sort.column) ?? cols[0];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...matches].sort((a, b) => {
    const x = column.sortValue(a);
    const y = column.sortValue(b);
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y));
    return sign * order || a.name.localeCompare(b.name);
  });
}

/**
 * The Deployments of a workspace, 20 to a page with search and sorting in
 * the browser: the whole list is loaded once, so a thousand Deployments stay
 * quick to browse, and page, search and order survive the list's refreshes.
 * A plain table rather than material-table, which (in development builds)
 * warns about its columns whenever a row changes.
 */
export function DeploymentsTable(props: {
  deployments: Deployment[] | undefined;
  loading: boolean;
  title?: string;
  emptyContent?: JSX.Element;
}) {
  const classes = useDeploymentTableStyles();
  const links = useAstroLinks();
  // `links` is rebuilt on every render; its route refs do not change.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const cols = useMemo(() => columns(links), []);
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  useDebounce(() => setSearch(text), 200, [text]);
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZE_OPTIONS[0]);

  const data = useMemo(() => props.deployments ?? [], [props.deployments]);
  const rows = useMemo(
    () => visibleRows(data, cols, search, sort),
    [data, cols, search, sort],
  );
  const lastPage = Math.max(0, Math.ceil(rows.length / pageSize) - 1);
  // The list shrank under the page the user is on: show its last page.
  useEffect(() => {
    if (page > lastPage) {
      setPage(lastPage);
    }
  }, [page, lastPage]);
  const shown = rows.slice(page * pageSize, (page + 1) * pageSize);
  const title = props.title ?? `Deployments (${data.length})`;

  const toggleSort = (column: string) => {
    setSort(current =>
      current.column === column
        ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: 'asc' },
    );
    setPage(0);
  };

  let body: ReactNode;
  if (data.length === 0) {
    body = props.loading ? null : props.emptyContent;
  } else {
    body = (
      <TableContainer>
        <MuiTable size="small" aria-labelledby="astro-workspace-table-title">
          <TableHead>
            <TableRow>
              {cols.map(c => (
                <TableCell
                  key={c.id}
                  className={classes.head}
                  sortDirection={
                    sort.column === c.id ? sort.direction : undefined
                  }
                >
                  <TableSortLabel
                    active={sort.column === c.id}
                    direction={sort.column === c.id ? sort.direction : 'asc'}
                    onClick={() => toggleSort(c.id)}
                  >
                    {c.title}
                  </TableSortLabel>
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map(d => (
              <TableRow key={d.name} hover>
                {cols.map(c => (
                  <TableCell
                    key={c.id}
                    className={`${classes.cell} ${
                      c.nowrap ? classes.nowrap : ''
                    }`}
                  >
                    {c.render(d)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
            {shown.length === 0 && (
              <TableRow>
                <TableCell colSpan={cols.length}>
                  <Typography color="textSecondary">
                    No Deployment of this workspace matches “{search}”.
                  </Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </MuiTable>
      </TableContainer>
    );
  }

  return (
    <WorkerCountsProvider>
      <Paper>
        <Box px={2} pt={2} pb={1} display="flex" alignItems="center">
          <Box flexGrow={1}>
            <Typography
              variant="h5"
              component="h2"
              id="astro-workspace-table-title"
            >
              {title}
            </Typography>
          </Box>
          {data.length > 0 && (
            <TextField
              placeholder="Filter"
              size="small"
              value={text}
              onChange={e => {
                setText(e.target.value);
                setPage(0);
              }}
              inputProps={{ 'aria-label': 'Filter the Deployments' }}
              InputProps={{
                startAdornment: (
                  <InputAdornment position="start">
                    <SearchIcon fontSize="small" />
                  </InputAdornment>
                ),
              }}
            />
          )}
        </Box>
        <Box height={4}>
          {props.loading && (
            <LinearProgress aria-label="Loading the Deployments" />
          )}
        </Box>
        {body}
        {rows.length > PAGE_SIZE_OPTIONS[0] && (
          <TablePagination
            component="div"
            count={rows.length}
            page={Math.min(page, lastPage)}
            rowsPerPage={pageSize}
            rowsPerPageOptions={PAGE_SIZE_OPTIONS}
            onPageChange={(_, next) => setPage(next)}
            onRowsPerPageChange={e => {
              setPageSize(Number(e.target.value));
              setPage(0);
            }}
          />
        )}
      </Paper>
    </WorkerCountsProvider>
  );
}
