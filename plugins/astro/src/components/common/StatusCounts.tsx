import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import {
  DEPLOYMENT_STATUSES,
  Deployment,
  DeploymentStatus as Status,
} from '@airflow-portal/plugin-astro-common';
import { DeploymentStatus } from './DeploymentStatus';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    listStyle: 'none',
    margin: 0,
    padding: 0,
    gap: theme.spacing(2),
  },
}));

/** How many Deployments have each status; statuses nobody has are left out. */
export function countByStatus(
  deployments: Deployment[],
): Array<[Status, number]> {
  const counts = new Map<Status, number>();
  for (const deployment of deployments) {
    counts.set(deployment.status, (counts.get(deployment.status) ?? 0) + 1);
  }
  return DEPLOYMENT_STATUSES.filter(status => counts.has(status)).map(
    status => [status, counts.get(status)!],
  );
}

/** "2 Healthy · 1 Unhealthy" as a list of status icons with words. */
export function StatusCounts(props: {
  deployments: Deployment[];
  label?: string;
}) {
  const classes = useStyles();
  const counts = countByStatus(props.deployments);
  if (counts.length === 0) {
    return <Box color="text.secondary">No Deployments</Box>;
  }
  return (
    <ul
      className={classes.list}
      aria-label={props.label ?? 'Deployments by status'}
    >
      {counts.map(([status, count]) => (
        <li key={status}>
          <Box display="flex" alignItems="baseline">
            <Box mr={0.5} fontWeight="fontWeightBold">
              {count}
            </Box>
            <DeploymentStatus status={status} />
          </Box>
        </li>
      ))}
    </ul>
  );
}
