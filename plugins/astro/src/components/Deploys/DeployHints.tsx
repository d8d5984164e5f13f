import {
  discoveryApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { CopyButton } from '../common/CopyButton';
import { deployHints } from './cliHints';

const useStyles = makeStyles(theme => ({
  block: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  code: {
    flex: 1,
    margin: 0,
    padding: theme.spacing(1, 1.5),
    overflowX: 'auto',
    fontSize: '0.8rem',
    background: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
  },
}));

function Snippet(props: { title: string; text: string; what: string }) {
  const classes = useStyles();
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      <div className={classes.block}>
        <pre className={classes.code}>
          <code>{props.text}</code>
        </pre>
        <CopyButton text={props.text} what={props.what} />
      </div>
    </>
  );
}

/**
 * How to deploy to a Deployment from a terminal or a pipeline: an image
 * built FROM the runtime image of its Airflow version, or its DAGs, with
 * the CLI or the REST API and an API token.
 */
export function DeployHints(props: { deployment: Deployment }) {
  const { deployment } = props;
  const astroApi = useApi(astroApiRef);
  const discovery = useApiHolder().get(discoveryApiRef);
  const { value } = useAsync(async () => {
    const [options, baseUrl] = await Promise.all([
      astroApi.getDeploymentOptions().catch(() => undefined),
      discovery?.getBaseUrl('astro').catch(() => undefined),
    ]);
    const release = options?.runtimeReleases.find(
      r => r.airflowVersion === deployment.settings.airflowVersion,
    );
    return { runtimeImage: release?.image, baseUrl };
  }, [astroApi, discovery, deployment.settings.airflowVersion]);
  const hints = deployHints({
    organization: deployment.organization,
    deployment: deployment.name,
    runtimeImage:
      value?.runtimeImage ??
      `the runtime image of Airflow ${deployment.settings.airflowVersion}`,
    apiBaseUrl: value?.baseUrl,
  });
  return (
    <Box width="100%">
      <Typography variant="body2" paragraph>
        Build your image <strong>FROM</strong> the runtime image of Airflow{' '}
        {deployment.settings.airflowVersion}, push it to a registry the cluster
        can pull from, and deploy it; every component restarts with it. A DAG
        deploy swaps the DAGs in without a restart. In CI, use an API token of
        this Deployment or its workspace.
      </Typography>
      <Snippet
        title="Image, with the CLI"
        text={hints.cliImage}
        what="image deploy commands"
      />
      <Snippet
        title="DAGs, with the CLI"
        text={hints.cliDags}
        what="DAG deploy command"
      />
      <Snippet
        title="Image, with the REST API"
        text={hints.httpImage}
        what="image deploy request"
      />
      <Snippet
        title="DAGs, with the REST API"
        text={hints.httpDags}
        what="DAG deploy request"
      />
    </Box>
  );
}
