import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type { Cluster } from '@airflow-portal/plugin-astro-common';
import { RelativeTime } from '../common/RelativeTime';

const GIB = 1024 ** 3;
const amount = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** Whether the cluster answers, since when, and why not. */
export function ClusterReachabilityText(props: { cluster: Cluster }) {
  const { reachable, reachability } = props.cluster;
  if (reachable === undefined) {
    return <StatusPending>Not checked yet</StatusPending>;
  }
  const since = reachability && (
    <>
      {' since '}
      <RelativeTime timestamp={reachability.since} />
    </>
  );
  if (reachable) {
    return (
      <StatusOK>
        <span>Reachable{since}</span>
      </StatusOK>
    );
  }
  return (
    <>
      <StatusError>
        <span>Not reachable{since}</span>
      </StatusError>
      {reachability?.lastError && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="div"
          style={{ overflowWrap: 'anywhere' }}
        >
          {reachability.lastError}
        </Typography>
      )}
    </>
  );
}

/** KEDA and the Kubernetes version in a few words, under the health. */
export function ClusterCapabilitiesCaption(props: { cluster: Cluster }) {
  const { capabilities } = props.cluster;
  if (!capabilities) {
    return null;
  }
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      {capabilities.keda
        ? 'KEDA present: queue-driven autoscaling'
        : 'No KEDA: workers scale with an HPA'}
      {capabilities.kubernetesVersion &&
        `; Kubernetes ${capabilities.kubernetesVersion}`}
    </Typography>
  );
}

/** One resource as a bar: reserved of allocatable, capped at full. */
function ReservationBar(props: {
  label: string;
  reserved: number;
  allocatable: number;
}) {
  const { label, reserved, allocatable } = props;
  const percent = allocatable > 0 ? (reserved / allocatable) * 100 : 100;
  const over = reserved > allocatable;
  return (
    <Box display="flex" alignItems="center" gridGap={8} mt={0.5}>
      <Typography
        variant="caption"
        color="textSecondary"
        style={{ width: 48, flexShrink: 0 }}
      >
        {label}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, percent)}
        color={over ? 'secondary' : 'primary'}
        aria-label={`${label} reserved by quotas: ${Math.round(percent)}%`}
        style={{ height: 6, borderRadius: 3, flexGrow: 1 }}
      />
    </Box>
  );
}

/**
 * What the quotas of the cluster's Deployments reserve of what its nodes
 * offer: "12.5 of 32 CPU, 40 of 128 GiB reserved by quotas", with a bar
 * for each. Quotas are ceilings, not requests, so more may be reserved
 * than the nodes hold (over-committed).
 */
export function ClusterCapacityText(props: {
  cluster: Cluster;
  /**
   * Fits a narrow column (an entity card's) instead of keeping the bars at
   * least 200 px wide, as the Clusters table does.
   */
  narrow?: boolean;
}) {
  const { capacity, reachable } = props.cluster;
  if (!capacity) {
    return (
      <Typography variant="body2" color="textSecondary">
        Not reported
      </Typography>
    );
  }
  const cpu = amount.format(capacity.reserved.cpu);
  const memory = amount.format(capacity.reserved.memoryBytes / GIB);
  const { allocatable } = capacity;
  if (!allocatable) {
    let why = 'Node capacity not reported';
    if (reachable === false) {
      why = 'Not reachable: node capacity unknown';
    } else if (capacity.allocatableError) {
      why = capacity.allocatableError;
    }
    return (
      <>
        <Typography variant="body2">
          {cpu} CPU, {memory} GiB reserved by quotas
        </Typography>
        <Typography
          variant="caption"
          color="textSecondary"
          component="div"
          style={{ overflowWrap: 'anywhere' }}
        >
          {why}
        </Typography>
      </>
    );
  }
  const over =
    capacity.reserved.cpu > allocatable.cpu ||
    capacity.reserved.memoryBytes > allocatable.memoryBytes;
  return (
    <Box minWidth={props.narrow ? 0 : 200} maxWidth={260}>
      <Typography variant="body2">
        {cpu} of {amount.format(allocatable.cpu)} CPU, {memory} of{' '}
        {amount.format(allocatable.memoryBytes / GIB)} GiB reserved by quotas
      </Typography>
      <ReservationBar
        label="CPU"
        reserved={capacity.reserved.cpu}
        allocatable={allocatable.cpu}
      />
      <ReservationBar
        label="Memory"
        reserved={capacity.reserved.memoryBytes}
        allocatable={allocatable.memoryBytes}
      />
      <Typography variant="caption" color="textSecondary" component="div">
        {allocatable.nodes} {allocatable.nodes === 1 ? 'node' : 'nodes'}
        {over && '; over-committed: the quotas allow more than the nodes hold'}
      </Typography>
    </Box>
  );
}
