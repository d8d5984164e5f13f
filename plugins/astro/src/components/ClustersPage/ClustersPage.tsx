import { useMemo, useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  astroClusterManagePermission,
  Cluster,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { useAstroPermission } from '../../hooks/useAstroPermission';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { useTableInstanceKey } from '../common/tableInstanceKey';
import { ClusterDialog } from './ClusterDialog';
import {
  ClusterCapabilitiesCaption,
  ClusterCapacityText,
  ClusterReachabilityText,
} from './ClusterHealth';

/** The driver, with the simulator called out as not a real cluster. */
export function ClusterDriver(props: { cluster: Cluster }) {
  const { driver } = props.cluster;
  if (driver === 'simulator') {
    return (
      <Chip
        size="small"
        variant="outlined"
        label="Simulator (not a real cluster)"
      />
    );
  }
  return <>{driver}</>;
}

/** Whether KEDA is installed, and the Kubernetes version, when reported. */
export function ClusterCapabilitiesText(props: { cluster: Cluster }) {
  const { capabilities, reachable } = props.cluster;
  if (!capabilities) {
    return (
      <Typography variant="body2" color="textSecondary">
        {reachable === false
          ? 'Not reachable: the platform could not ask the cluster'
          : 'Not reported'}
      </Typography>
    );
  }
  return (
    <Typography variant="body2">
      {capabilities.keda
        ? 'KEDA present: workers autoscale on queue depth'
        : 'No KEDA: workers scale with a HorizontalPodAutoscaler'}
      {capabilities.kubernetesVersion &&
        `; Kubernetes ${capabilities.kubernetesVersion}`}
    </Typography>
  );
}

/** What the clusters are, for the page and the tab. */
export const CLUSTERS_DESCRIPTION =
  'Kubernetes clusters registered with the platform. Standard clusters are shared by all organizations; dedicated clusters belong to one.';

const TABLE_OPTIONS = {
  paging: false,
  search: false,
  padding: 'dense',
} as const;

/** A table row: material-table keeps its row state by `id`. */
type Row = Cluster & { id: string };

function clusterColumns(manage?: {
  onEdit: (cluster: Cluster) => void;
  onDelete: (cluster: Cluster) => void;
}): TableColumn<Row>[] {
  const columns: TableColumn<Row>[] = [
    {
      title: 'Cluster',
      field: 'name',
      highlight: true,
      render: cluster => (
        <>
          <Typography variant="body2">
            {cluster.title || cluster.name}
          </Typography>
          {cluster.title && cluster.title !== cluster.name && (
            <Typography variant="caption" color="textSecondary" component="div">
              {cluster.name}
            </Typography>
          )}
          <Box mt={0.5}>
            {cluster.driver === 'simulator' ? (
              <ClusterDriver cluster={cluster} />
            ) : (
              <Typography variant="caption" color="textSecondary">
                Driver: {cluster.driver}
              </Typography>
            )}
          </Box>
          <Typography variant="caption" color="textSecondary" component="div">
            {cluster.source === 'api'
              ? 'Registered through the API'
              : 'Declared in configuration'}
          </Typography>
        </>
      ),
    },
    {
      title: 'Type / location',
      field: 'type',
      render: cluster => (
        <>
          <Typography variant="body2">
            {cluster.type === 'dedicated'
              ? `Dedicated to ${cluster.organization ?? 'one organization'}`
              : 'Standard (shared)'}
          </Typography>
          <Typography variant="caption" color="textSecondary" component="div">
            {cluster.provider} / {cluster.region}
          </Typography>
        </>
      ),
    },
    {
      title: 'Health',
      field: 'reachable',
      cellStyle: { minWidth: 170 },
      render: cluster => (
        <>
          <ClusterReachabilityText cluster={cluster} />
          <ClusterCapabilitiesCaption cluster={cluster} />
        </>
      ),
    },
    {
      title: 'Capacity',
      sorting: false,
      render: cluster => <ClusterCapacityText cluster={cluster} />,
    },
    { title: 'Deployments', field: 'deploymentCount', type: 'numeric' },
  ];
  if (manage) {
    columns.push({
      title: '',
      sorting: false,
      cellStyle: { width: 64, paddingLeft: 0 },
      render: cluster =>
        cluster.source === 'api' && (
          <Box display="flex">
            <Tooltip title="Edit">
              <IconButton
                size="small"
                aria-label={`Edit cluster ${cluster.name}`}
                onClick={() => manage.onEdit(cluster)}
              >
                <EditIcon fontSize="small" />
              </IconButton>
            </Tooltip>
            <Tooltip title="Delete">
              <IconButton
                size="small"
                aria-label={`Delete cluster ${cluster.name}`}
                onClick={() => manage.onDelete(cluster)}
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </Box>
        ),
    });
  }
  return columns;
}

/**
 * The registered clusters as a table: what the Clusters tab and page show.
 * Those who may manage clusters register new ones here, and edit or
 * delete those registered through the API (declared ones change in
 * configuration).
 */
export function ClustersTable() {
  const astroApi = useApi(astroApiRef);
  const { allowed: canManage } = useAstroPermission(
    astroClusterManagePermission,
  );
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (await astroApi.listClusters()).items,
    [astroApi],
  );
  const [dialog, setDialog] = useState<{ cluster?: Cluster }>();
  const [deleting, setDeleting] = useState<Cluster>();
  const rows = useMemo<Row[]>(
    () => (value ?? []).map(c => ({ ...c, id: c.name })),
    [value],
  );
  const columns = useMemo(
    () =>
      clusterColumns(
        canManage
          ? {
              onEdit: cluster => setDialog({ cluster }),
              onDelete: setDeleting,
            }
          : undefined,
      ),
    [canManage],
  );
  // A new table instance when the rows or the actions change (see
  // useTableInstanceKey).
  const key = useTableInstanceKey({ rows, canManage });
  if (error) {
    return (
      <AstroErrorPanel error={error} what="the clusters" onRetry={retry} />
    );
  }
  return (
    <>
      {canManage && (
        <Box display="flex" justifyContent="flex-end" mb={2}>
          <Button
            variant="contained"
            color="primary"
            startIcon={<AddIcon />}
            onClick={() => setDialog({})}
          >
            Register cluster
          </Button>
        </Box>
      )}
      <Table<Row>
        key={key}
        title="Registered clusters"
        isLoading={loading && !value}
        columns={columns}
        data={rows}
        options={TABLE_OPTIONS}
        emptyContent={
          <Typography style={{ padding: 16 }}>
            No clusters are registered yet. A platform engineer registers them
            here, in the backend configuration or through the API.
          </Typography>
        }
      />
      <ClusterDialog
        open={Boolean(dialog)}
        cluster={dialog?.cluster}
        onClose={() => setDialog(undefined)}
        onSaved={() => {
          setDialog(undefined);
          retry();
        }}
      />
      <ConfirmDialog
        open={Boolean(deleting)}
        title={`Delete cluster ${deleting?.title || deleting?.name || ''}?`}
        confirmLabel="Delete cluster"
        busyLabel="Deleting…"
        failure="The cluster was not deleted"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await astroApi.deleteCluster({ path: { cluster: deleting!.name } });
          setDeleting(undefined);
          retry();
        }}
      >
        The platform forgets the cluster and its stored connection. Nothing on
        the cluster changes. A cluster that still runs Deployments cannot be
        deleted: move or delete them first.
      </ConfirmDialog>
    </>
  );
}

/** The Kubernetes clusters Deployments can be placed on. */
export function ClustersPage() {
  const links = useAstroLinks();
  return (
    <AstroContent
      title="Clusters"
      description={CLUSTERS_DESCRIPTION}
      breadcrumbs={[
        { label: 'Airflow', href: links.overview() },
        { label: 'Clusters' },
      ]}
    >
      <ClustersTable />
    </AstroContent>
  );
}
