import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import HistoryIcon from '@material-ui/icons/History';
import Alert from '@material-ui/lab/Alert';
import {
  Deployment,
  astroDeploymentDeployPermission,
} from '@airflow-portal/plugin-astro-common';
import {
  useAstroPermission,
  deploymentResourceRef,
} from '../../hooks/useAstroPermission';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { RelativeTime, formatRelative } from '../common/RelativeTime';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { messageOf } from '../common/errors';
import { DeployStatus } from './DeployStatus';
import { RollbackDialog } from './RollbackDialog';
import {
  ApiToken,
  DEPLOY_TYPE_LABEL,
  Deploy,
  currentDeployId,
  deployAuthor,
  deployRowId,
  formatBytes,
  rollbackBlocker,
  shortVersion,
} from './model';
import { useDeploys } from './useDeploys';

const ORIGIN_LABEL: Record<Deploy['origin'], string> = {
  UI: 'the portal',
  CLI: 'the CLI',
  API: 'the API',
  CI: 'CI',
};

const useStyles = makeStyles(theme => ({
  wrap: {
    whiteSpace: 'normal',
    overflowWrap: 'break-word',
    maxWidth: 320,
  },
  action: { whiteSpace: 'nowrap' },
  secondary: { color: theme.palette.text.secondary },
  row: {
    '&:focus': { outline: `2px solid ${theme.palette.primary.main}` },
  },
}));

/** Brings an earlier deploy's row into view and focus. */
function showRow(id: string) {
  const row = document.getElementById(deployRowId(id));
  row?.scrollIntoView?.({ block: 'center' });
  row?.focus();
}

function DeployRow(props: {
  deployment: Deployment;
  deploy: Deploy;
  byId: ReadonlyMap<string, Deploy>;
  tokens: ReadonlyMap<string, ApiToken>;
  current: boolean;
  canRollback: boolean;
  refused?: string;
  onRollback: (deploy: Deploy) => void;
}) {
  const { deployment, deploy, byId, tokens, current, canRollback, refused } =
    props;
  const classes = useStyles();
  const author = deployAuthor(deploy.createdBy, tokens);
  const rolledBackTo = deploy.rollbackOf
    ? byId.get(deploy.rollbackOf)
    : undefined;
  const rollbackNote = refused ?? rollbackBlocker(deployment, deploy, current);
  return (
    <TableRow id={deployRowId(deploy.id)} tabIndex={-1} className={classes.row}>
      <TableCell>
        <RelativeTime timestamp={deploy.createdAt} />
        <Typography
          variant="caption"
          component="div"
          className={classes.secondary}
        >
          {new Date(deploy.createdAt).toLocaleString()}
        </Typography>
      </TableCell>
      <TableCell>
        {author.label}
        <Typography
          variant="caption"
          component="div"
          className={classes.secondary}
        >
          from {ORIGIN_LABEL[deploy.origin] ?? deploy.origin}
        </Typography>
      </TableCell>
      <TableCell className={classes.wrap}>
        <strong>{DEPLOY_TYPE_LABEL[deploy.type] ?? deploy.type}</strong>
        <div>
          <code>{deploy.image}</code>
        </div>
        {deploy.bundle && (
          <Typography
            variant="caption"
            component="div"
            className={classes.secondary}
          >
            <code title={deploy.bundle.version}>
              {shortVersion(deploy.bundle.version)}
            </code>{' '}
            · {formatBytes(deploy.bundle.size)} · {deploy.bundle.files}{' '}
            {deploy.bundle.files === 1 ? 'file' : 'files'}
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.wrap}>
        {deploy.description || (
          <span className={classes.secondary}>No description</span>
        )}
        {deploy.rollbackOf && (
          <div>
            <Link
              component="button"
              variant="body2"
              onClick={() => showRow(deploy.rollbackOf!)}
            >
              {rolledBackTo
                ? `Rollback to the deploy of ${formatRelative(
                    rolledBackTo.createdAt,
                  )}`
                : `Rollback to deploy ${deploy.rollbackOf.slice(0, 8)}`}
            </Link>
          </div>
        )}
      </TableCell>
      <TableCell className={classes.wrap}>
        <DeployStatus status={deploy.status} />
        {deploy.statusReason && (
          <Typography
            variant="caption"
            component="div"
            className={classes.secondary}
          >
            {deploy.statusReason}
          </Typography>
        )}
      </TableCell>
      {canRollback && (
        <TableCell className={classes.wrap}>
          <Button
            size="small"
            variant="outlined"
            className={classes.action}
            startIcon={<HistoryIcon />}
            disabled={Boolean(rollbackNote)}
            aria-label={`Roll back to the deploy of ${formatRelative(
              deploy.createdAt,
            )}`}
            onClick={() => props.onRollback(deploy)}
          >
            Rollback
          </Button>
          {rollbackNote && (
            <Typography
              variant="caption"
              component="div"
              className={classes.secondary}
            >
              {rollbackNote}
            </Typography>
          )}
        </TableCell>
      )}
    </TableRow>
  );
}

/**
 * Every deploy of a Deployment, newest first, a page at a time: who made
 * it and when, what it deployed, why, from where and how it ended; rollback
 * to an earlier deploy for those who may deploy to the Deployment. Read again
 * every few seconds while a deploy rolls out.
 */
export function DeployHistoryCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const state = useDeploys(deployment);
  const { deploys, tokens } = state;
  const { allowed: canRollback } = useAstroPermission(
    astroDeploymentDeployPermission,
    deploymentResourceRef(deployment),
  );
  const [target, setTarget] = useState<Deploy>();
  const [refused, setRefused] = useState<Record<string, string>>({});
  const [rolledBack, setRolledBack] = useState<Deploy>();

  let body;
  if (state.error && !deploys) {
    body = (
      <AstroErrorPanel
        error={state.error}
        what="the deploys"
        onRetry={state.retry}
      />
    );
  } else if (!deploys) {
    body = <Progress aria-label="Loading deploys" />;
  } else if (deploys.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No deploys yet: the Deployment runs the runtime image of Airflow{' '}
        {deployment.settings.airflowVersion}.
      </Typography>
    );
  } else {
    const byId = new Map(deploys.map(d => [d.id, d]));
    const current = currentDeployId(deploys);
    body = (
      <>
        {state.error && <StaleDataWarning error={state.error} />}
        {rolledBack && (
          <Box mb={2}>
            <Alert severity="success" onClose={() => setRolledBack(undefined)}>
              Rollback started: the new deploy is at the top of the history.
            </Alert>
          </Box>
        )}
        <Box overflow="auto">
          <Table size="small" aria-label="Deploys">
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Who</TableCell>
                <TableCell>What</TableCell>
                <TableCell>Description</TableCell>
                <TableCell>Status</TableCell>
                {canRollback && <TableCell>Rollback</TableCell>}
              </TableRow>
            </TableHead>
            <TableBody>
              {deploys.map(deploy => (
                <DeployRow
                  key={deploy.id}
                  deployment={deployment}
                  deploy={deploy}
                  byId={byId}
                  tokens={tokens}
                  current={deploy.id === current}
                  canRollback={canRollback}
                  refused={refused[deploy.id]}
                  onRollback={setTarget}
                />
              ))}
            </TableBody>
          </Table>
        </Box>
        {state.loadMoreError && (
          <Typography color="error" variant="body2" role="alert">
            Older deploys could not be loaded: {messageOf(state.loadMoreError)}
          </Typography>
        )}
        {state.hasMore && (
          <Box mt={1}>
            <Button onClick={state.loadMore} disabled={state.loadingMore}>
              {state.loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          </Box>
        )}
      </>
    );
  }

  return (
    <InfoCard title="Deploy history">
      {body}
      {canRollback && (
        <RollbackDialog
          target={target}
          onClose={() => setTarget(undefined)}
          onRolledBack={deploy => {
            setTarget(undefined);
            setRolledBack(deploy);
            state.added(deploy);
          }}
          onRefused={(deploy, message) =>
            setRefused(r => ({ ...r, [deploy.id]: message }))
          }
        />
      )}
    </InfoCard>
  );
}
