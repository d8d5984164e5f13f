import { KubernetesMessage } from '../common/KubernetesMessage';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { DeploymentStatus } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { ProvisioningProgress } from './ProvisioningProgress';

/**
 * A Deployment's status with its reason, the progress of provisioning or of
 * a rollout while one runs, and whether the cluster runs the latest
 * settings.
 */
export function DeploymentStatusCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const rollingOut = deployment.observedGeneration < deployment.generation;
  const provisioning =
    deployment.status === 'CREATING' || deployment.status === 'DEPLOYING';
  return (
    <InfoCard title="Status">
      <Box display="flex" alignItems="baseline" flexWrap="wrap">
        <Box mr={2}>
          <Typography
            variant="h6"
            component="p"
            role="status"
            aria-label="Deployment status"
          >
            <DeploymentStatus status={deployment.status} />
          </Typography>
        </Box>
        <Typography variant="body2" color="textSecondary">
          since <RelativeTime timestamp={deployment.statusChangedAt} />
        </Typography>
      </Box>
      <Box mb={1}>
        {deployment.statusReason && (
          <KubernetesMessage text={deployment.statusReason} variant="body2" />
        )}
      </Box>
      <Typography variant="body2" paragraph role="status" aria-label="Rollout">
        {rollingOut
          ? `Rolling out settings generation ${deployment.generation}; the cluster runs generation ${deployment.observedGeneration}.`
          : `The cluster runs the latest settings (generation ${deployment.generation}).`}
      </Typography>
      {provisioning && <ProvisioningProgress deployment={deployment} />}
    </InfoCard>
  );
}
