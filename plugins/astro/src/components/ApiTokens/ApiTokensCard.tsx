import { useMemo, useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Deployment,
  Workspace,
  astroDeploymentTokensManagePermission,
  astroWorkspaceTokensManagePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import {
  useAstroPermission,
  deploymentResourceRef,
  workspaceResourceRef,
} from '../../hooks/useAstroPermission';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { StatusIcon } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import { actorName } from '../common/format';
import { CreateTokenDialog } from './CreateTokenDialog';
import { TokenValueDialog } from './TokenValueDialog';
import {
  ApiToken,
  ApiTokenWithValue,
  TokenScope,
  roleLabel,
  scopedTokenApi,
  tokenState,
} from './model';

const useStyles = makeStyles(theme => ({
  secondary: { color: theme.palette.text.secondary },
  revoked: { opacity: 0.6 },
  wrap: { whiteSpace: 'normal', overflowWrap: 'anywhere', maxWidth: 280 },
}));

function TokenStatus(props: { token: ApiToken }) {
  const { token } = props;
  switch (tokenState(token)) {
    case 'revoked':
      return (
        <StatusIcon kind="aborted">
          Revoked <RelativeTime timestamp={token.revokedAt!} />
        </StatusIcon>
      );
    case 'expired':
      return (
        <StatusIcon kind="warning">
          Expired <RelativeTime timestamp={token.expiresAt!} />
        </StatusIcon>
      );
    default:
      return <StatusIcon kind="ok">Active</StatusIcon>;
  }
}

type Pending = { action: 'revoke' | 'rotate'; token: ApiToken };

/**
 * The API tokens of a Deployment or a workspace: what each is for, its
 * role, who created it, when it was last used and when it expires; create,
 * rotate and revoke. A new value is shown once, right after it is made.
 */
export function ApiTokensCard(props: { scope: TokenScope; title?: string }) {
  const { scope } = props;
  const classes = useStyles();
  const astroApi = useApi(astroApiRef);
  const tokens = useMemo(
    () => scopedTokenApi(astroApi, scope),
    // A scope is compared by what it names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [astroApi, JSON.stringify(scope)],
  );
  const list = useAsyncRetry(() => tokens.list(), [tokens]);
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>();
  const [shown, setShown] = useState<{
    token: ApiTokenWithValue;
    reason: 'created' | 'rotated';
  }>();
  const isWorkspace = scope.kind === 'workspace';

  let body;
  if (list.error) {
    body = (
      <AstroErrorPanel
        error={list.error}
        what="the API tokens"
        onRetry={list.retry}
      />
    );
  } else if (!list.value) {
    body = <Progress aria-label="Loading API tokens" />;
  } else if (list.value.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No API tokens yet. Create one for a CI pipeline or a script that
        deploys.
      </Typography>
    );
  } else {
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label="API tokens">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              {isWorkspace && <TableCell>Role</TableCell>}
              <TableCell>Created</TableCell>
              <TableCell>Last used</TableCell>
              <TableCell>Expires</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.value.map(token => {
              const state = tokenState(token);
              return (
                <TableRow
                  key={token.id}
                  className={state === 'revoked' ? classes.revoked : undefined}
                >
                  <TableCell className={classes.wrap}>
                    <strong>{token.name}</strong>
                    <Typography
                      variant="caption"
                      component="div"
                      className={classes.secondary}
                    >
                      <code>{token.prefix}…</code>
                      {token.description && ` · ${token.description}`}
                    </Typography>
                  </TableCell>
                  {isWorkspace && (
                    <TableCell>{roleLabel(token.role)}</TableCell>
                  )}
                  <TableCell>
                    <RelativeTime timestamp={token.createdAt} />
                    <Typography
                      variant="caption"
                      component="div"
                      className={classes.secondary}
                    >
                      by {actorName(token.createdBy)}
                      {token.rotatedAt && (
                        <>
                          , rotated <RelativeTime timestamp={token.rotatedAt} />
                        </>
                      )}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    {token.lastUsedAt ? (
                      <RelativeTime timestamp={token.lastUsedAt} />
                    ) : (
                      'Never'
                    )}
                  </TableCell>
                  <TableCell>
                    {token.expiresAt ? (
                      <RelativeTime timestamp={token.expiresAt} />
                    ) : (
                      'Never'
                    )}
                  </TableCell>
                  <TableCell>
                    <TokenStatus token={token} />
                  </TableCell>
                  <TableCell>
                    {state !== 'revoked' && (
                      <Box display="flex" gridGap={8}>
                        {state === 'active' && (
                          <Button
                            size="small"
                            aria-label={`Rotate token ${token.name}`}
                            onClick={() =>
                              setPending({ action: 'rotate', token })
                            }
                          >
                            Rotate
                          </Button>
                        )}
                        <Button
                          size="small"
                          color="secondary"
                          aria-label={`Revoke token ${token.name}`}
                          onClick={() =>
                            setPending({ action: 'revoke', token })
                          }
                        >
                          Revoke
                        </Button>
                      </Box>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Box>
    );
  }

  const name = pending?.token.name ?? '';
  return (
    <InfoCard title={props.title ?? 'API tokens'}>
      <Typography variant="body2" paragraph>
        {isWorkspace
          ? 'Tokens for pipelines and scripts acting on every Deployment of this workspace, with the role they are given.'
          : 'Tokens for pipelines and scripts that deploy to this Deployment (and read it).'}{' '}
        Send a token as <code>Authorization: Bearer &lt;token&gt;</code>.
      </Typography>
      {body}
      <Box mt={2}>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setCreating(true)}
        >
          Create API token
        </Button>
      </Box>
      <CreateTokenDialog
        open={creating}
        scope={scope}
        tokens={tokens}
        onClose={() => setCreating(false)}
        onCreated={token => {
          setCreating(false);
          setShown({ token, reason: 'created' });
          list.retry();
        }}
      />
      <ConfirmDialog
        open={pending?.action === 'rotate'}
        title={`Rotate token ${name}?`}
        confirmLabel="Rotate token"
        busyLabel="Rotating…"
        failure="The token was not rotated"
        onClose={() => setPending(undefined)}
        onConfirm={async () => {
          const token = await tokens.rotate(pending!.token.id);
          setPending(undefined);
          setShown({ token, reason: 'rotated' });
          list.retry();
        }}
      >
        The token gets a new value, shown once. Its current value stops working
        at once: update every pipeline that uses it.
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.action === 'revoke'}
        title={`Revoke token ${name}?`}
        confirmLabel="Revoke token"
        busyLabel="Revoking…"
        failure="The token was not revoked"
        onClose={() => setPending(undefined)}
        onConfirm={async () => {
          await tokens.revoke(pending!.token.id);
          setPending(undefined);
          list.retry();
        }}
      >
        Everything that uses it is refused from now on. This cannot be undone.
      </ConfirmDialog>
      <TokenValueDialog
        token={shown?.token}
        reason={shown?.reason ?? 'created'}
        onClose={() => setShown(undefined)}
      />
    </InfoCard>
  );
}

/**
 * The API tokens of a Deployment, for those who may change it; nothing
 * for others.
 */
export function DeploymentApiTokensCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const { allowed } = useAstroPermission(
    astroDeploymentTokensManagePermission,
    deploymentResourceRef(deployment),
  );
  if (!allowed) {
    return null;
  }
  return (
    <ApiTokensCard
      scope={{
        kind: 'deployment',
        organization: deployment.organization,
        deployment: deployment.name,
      }}
    />
  );
}

/**
 * The API tokens of a workspace, for those who may manage it; nothing for
 * others.
 */
export function WorkspaceApiTokensCard(props: { workspace: Workspace }) {
  const { workspace } = props;
  const { allowed } = useAstroPermission(
    astroWorkspaceTokensManagePermission,
    workspaceResourceRef(workspace.organization, workspace.name),
  );
  if (!allowed) {
    return null;
  }
  return (
    <ApiTokensCard
      title="Workspace API tokens"
      scope={{
        kind: 'workspace',
        organization: workspace.organization,
        workspace: workspace.name,
      }}
    />
  );
}
