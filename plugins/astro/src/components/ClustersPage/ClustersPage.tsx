import { useMemo } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Cluster } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { AstroContent } from '../common/AstroContent';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { useTableInstanceKey } from '../common/tableInstanceKey';

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

const columns: TableColumn<Row>[] = [
  {
    title: 'Cluster',
    field: 'name',
    highlight: true,
    render: cluster => (
      <>
        <Typography variant="body2">{cluster.title || cluster.name}</Typography>
        {cluster.title && cluster.title !== cluster.name && (
          <Typography variant="caption" color="textSecondary">
            {cluster.name}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Type',
    field: 'type',
    render: cluster =>
      cluster.type === 'dedicated'
        ? `Dedicated to ${cluster.organization ?? 'one organization'}`
        : 'Standard (shared)',
  },
  {
    title: 'Driver',
    field: 'driver',
    render: cluster => <ClusterDriver cluster={cluster} />,
  },
  {
    title: 'Provider / region',
    field: 'provider',
    render: cluster => `${cluster.provider} / ${cluster.region}`,
  },
  {
    title: 'Capabilities',
    sorting: false,
    render: cluster => <ClusterCapabilitiesText cluster={cluster} />,
  },
  {
    title: 'Registered',
    field: 'source',
    render: cluster =>
      cluster.source === 'api' ? 'Through the API' : 'In configuration',
  },
  { title: 'Deployments', field: 'deploymentCount', type: 'numeric' },
];

/** The registered clusters as a table: what the Clusters tab and page show. */
export function ClustersTable() {
  const astroApi = useApi(astroApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (await astroApi.listClusters()).items,
    [astroApi],
  );
  const rows = useMemo<Row[]>(
    () => (value ?? []).map(c => ({ ...c, id: c.name })),
    [value],
  );
  const key = useTableInstanceKey(rows);
  if (error) {
    return (
      <AstroErrorPanel error={error} what="the clusters" onRetry={retry} />
    );
  }
  return (
    <Table<Row>
      key={key}
      title="Registered clusters"
      isLoading={loading && !value}
      columns={columns}
      data={rows}
      options={TABLE_OPTIONS}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          No clusters are registered yet. A platform engineer registers them in
          the backend configuration or through the API.
        </Typography>
      }
    />
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
