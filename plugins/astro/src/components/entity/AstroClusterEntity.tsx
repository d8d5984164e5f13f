import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { astroApiRef } from '../../api';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import {
  ClusterCapabilitiesText,
  ClusterDriver,
} from '../ClustersPage/ClustersPage';
import {
  ClusterCapacityText,
  ClusterReachabilityText,
} from '../ClustersPage/ClusterHealth';
import { NotAnAstroEntity } from './NotAnAstroEntity';
import { useAstroEntityResource } from './useAstroEntity';

/** A card of an AstroCluster entity: type, driver, health, capabilities, capacity, load. */
export function AstroClusterEntityCard() {
  const resource = useAstroEntityResource();
  const links = useAstroLinks();
  const astroApi = useApi(astroApiRef);
  const name = resource?.type === 'cluster' ? resource.cluster : '';
  const cluster = useAsyncRetry(
    async () =>
      name ? astroApi.getCluster({ path: { cluster: name } }) : undefined,
    [astroApi, name],
  );
  let body;
  if (resource?.type !== 'cluster') {
    body = <NotAnAstroEntity expected="AstroCluster" />;
  } else if (cluster.error) {
    body = (
      <AstroErrorPanel
        error={cluster.error}
        what={`cluster ${name}`}
        onRetry={cluster.retry}
      />
    );
  } else if (!cluster.value) {
    body = <Progress aria-label="Loading the cluster" />;
  } else {
    const c = cluster.value;
    body = (
      <StructuredMetadataTable
        dense
        metadata={{
          Type:
            c.type === 'dedicated'
              ? `Dedicated to ${c.organization}`
              : 'Standard (shared)',
          Driver: <ClusterDriver cluster={c} />,
          'Provider / region': `${c.provider} / ${c.region}`,
          Health: <ClusterReachabilityText cluster={c} />,
          Capabilities: <ClusterCapabilitiesText cluster={c} />,
          Capacity: <ClusterCapacityText cluster={c} narrow />,
          Deployments: c.deploymentCount,
        }}
      />
    );
  }
  const page = links.clusters();
  return (
    <InfoCard
      title="Airflow cluster"
      deepLink={page ? { title: 'All clusters', link: page } : undefined}
    >
      {body}
    </InfoCard>
  );
}
