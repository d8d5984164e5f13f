import { ReactNode, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import {
  Deployment,
  astroDeploymentDeployPermission,
} from '@airflow-portal/plugin-astro-common';
import {
  useAstroPermission,
  deploymentResourceRef,
} from '../../hooks/useAstroPermission';
import { CopyButton } from '../common/CopyButton';
import { RelativeTime } from '../common/RelativeTime';
import { gitDagBundleSummary } from '../DeploymentForm/diff';
import { DeployDagsDialog } from './DeployDagsDialog';
import { DeployHints } from './DeployHints';
import { DeployStatus } from './DeployStatus';
import {
  ApiToken,
  DEPLOY_TYPE_LABEL,
  Deploy,
  dagDeployBlocker,
  deployAuthor,
  shortVersion,
} from './model';
import { useDeploys } from './useDeploys';

function Row(props: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" style={{ width: '30%' }}>
        {props.label}
      </TableCell>
      <TableCell>{props.children}</TableCell>
    </TableRow>
  );
}

function LatestDeploy(props: {
  deploy?: Deploy;
  tokens: ReadonlyMap<string, ApiToken>;
}) {
  const { deploy, tokens } = props;
  if (!deploy) {
    return <>None yet: the Deployment runs its runtime image.</>;
  }
  return (
    <>
      <DeployStatus status={deploy.status} /> {DEPLOY_TYPE_LABEL[deploy.type]},{' '}
      <RelativeTime timestamp={deploy.createdAt} /> by{' '}
      {deployAuthor(deploy.createdBy, tokens).label}
      {deploy.description && <> · {deploy.description}</>}
      {deploy.status === 'FAILED' && deploy.statusReason && (
        <Typography variant="body2" color="error" component="span">
          {' '}
          · {deploy.statusReason}
        </Typography>
      )}
    </>
  );
}

/**
 * What a Deployment runs: its image and Airflow version, the DAG bundle
 * its components serve (or the Git repository they read), its latest
 * deploy, "Deploy DAGs" for those allowed to, and how to deploy from a
 * terminal or CI.
 */
export function CodeCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const { deploys, error, added, tokens } = useDeploys(deployment);
  const [open, setOpen] = useState(false);
  const { allowed: canDeploy } = useAstroPermission(
    astroDeploymentDeployPermission,
    deploymentResourceRef(deployment),
  );
  const git = gitDagBundleSummary(deployment.settings.gitDagBundle);
  const blocker = dagDeployBlocker(deployment);
  const deleting = deployment.status === 'DELETING';

  let dags: ReactNode;
  if (git) {
    dags = <>From Git: {git}</>;
  } else if (deployment.dagBundleVersion) {
    dags = (
      <>
        <code title={deployment.dagBundleVersion}>
          {shortVersion(deployment.dagBundleVersion)}
        </code>
        <CopyButton
          text={deployment.dagBundleVersion}
          what="DAG bundle version"
        />
      </>
    );
  } else {
    dags = 'No DAGs deployed yet';
  }

  return (
    <InfoCard title="Code">
      <Table size="small" aria-label="Code">
        <TableBody>
          <Row label="Image">
            <code>{deployment.image}</code>
            <CopyButton text={deployment.image} what="image" />
          </Row>
          <Row label="Airflow version">
            {deployment.settings.airflowVersion}
          </Row>
          <Row label="DAGs">{dags}</Row>
          <Row label="Latest deploy">
            {deploys && <LatestDeploy deploy={deploys[0]} tokens={tokens} />}
            {!deploys &&
              (error ? 'Unknown: the deploys could not be read' : 'Loading…')}
          </Row>
        </TableBody>
      </Table>
      {canDeploy && !deleting && (
        <Box mt={2} display="flex" alignItems="center" gridGap={16}>
          <Button
            variant="contained"
            color="primary"
            startIcon={<CloudUploadIcon />}
            disabled={Boolean(blocker)}
            aria-describedby={blocker ? 'astro-deploy-dags-blocker' : undefined}
            onClick={() => setOpen(true)}
          >
            Deploy DAGs
          </Button>
          {blocker && (
            <Typography
              id="astro-deploy-dags-blocker"
              variant="body2"
              color="textSecondary"
            >
              {blocker}
            </Typography>
          )}
        </Box>
      )}
      <Box mt={2}>
        <Accordion TransitionProps={{ unmountOnExit: true }} variant="outlined">
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-controls="astro-deploy-hints"
            id="astro-deploy-hints-summary"
          >
            <Typography>Deploy from a terminal or CI</Typography>
          </AccordionSummary>
          <AccordionDetails id="astro-deploy-hints">
            <DeployHints deployment={deployment} />
          </AccordionDetails>
        </Accordion>
      </Box>
      {canDeploy && (
        <DeployDagsDialog
          deployment={deployment}
          open={open}
          onClose={() => setOpen(false)}
          onCreated={added}
        />
      )}
    </InfoCard>
  );
}
