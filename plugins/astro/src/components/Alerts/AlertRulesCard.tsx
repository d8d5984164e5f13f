import { useMemo, useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  AlertRule,
  Deployment,
  Workspace,
  astroDeploymentUpdatePermission,
  astroWorkspaceUpdatePermission,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import {
  deploymentResourceRef,
  useAstroPermission,
  workspaceResourceRef,
} from '../../hooks/useAstroPermission';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { RelativeTime } from '../common/RelativeTime';
import { actorName } from '../common/format';
import { messageOf } from '../common/errors';
import { AlertDeliveriesDialog } from './AlertDeliveriesDialog';
import { AlertRuleDialog } from './AlertRuleDialog';
import {
  AlertScope,
  describeChannel,
  describeRule,
  ruleTypeLabel,
  scopedAlertApi,
} from './model';

const wrap = { whiteSpace: 'normal', overflowWrap: 'anywhere' } as const;
const nowrap = { whiteSpace: 'nowrap' } as const;

/**
 * The alert rules of a Deployment or a workspace: what each alerts on,
 * where it sends, whether it is on, and its deliveries; create, edit,
 * turn on and off, delete for those who may change the scope.
 */
export function AlertRulesCard(props: {
  scope: AlertScope;
  /** Whether the caller may change the rules (the backend checks too). */
  canEdit: boolean;
  title?: string;
}) {
  const { scope, canEdit } = props;
  const astroApi = useApi(astroApiRef);
  const alertApi = useApi(alertApiRef);
  const alerts = useMemo(
    () => scopedAlertApi(astroApi, scope),
    // A scope is compared by what it names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [astroApi, JSON.stringify(scope)],
  );
  const list = useAsyncRetry(() => alerts.list(), [alerts]);
  const [editing, setEditing] = useState<{ rule?: AlertRule }>();
  const [deleting, setDeleting] = useState<AlertRule>();
  const [showing, setShowing] = useState<AlertRule>();
  const [toggling, setToggling] = useState<string>();

  const toggle = async (rule: AlertRule) => {
    setToggling(rule.id);
    try {
      await alerts.update(rule, { enabled: !rule.enabled });
      alertApi.post({
        message: `Alert rule ${rule.name} ${
          rule.enabled ? 'turned off' : 'turned on'
        }.`,
        severity: 'success',
        display: 'transient',
      });
    } catch (e) {
      alertApi.post({
        message: `Alert rule ${rule.name} was not changed: ${messageOf(e)}`,
        severity: 'error',
      });
    } finally {
      setToggling(undefined);
      list.retry();
    }
  };

  const covers =
    scope.kind === 'deployment'
      ? 'this Deployment'
      : 'every Deployment of this workspace';
  let body;
  if (list.error) {
    body = (
      <AstroErrorPanel
        error={list.error}
        what="the alert rules"
        onRetry={list.retry}
      />
    );
  } else if (!list.value) {
    body = <Progress aria-label="Loading alert rules" />;
  } else if (list.value.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No alert rules on {covers}.{' '}
        {canEdit
          ? 'Create one to be told when a DAG run fails or takes too long, or when an incident opens.'
          : 'Someone who may change it can create one.'}
      </Typography>
    );
  } else {
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label="Alert rules">
          <TableHead>
            <TableRow>
              <TableCell style={nowrap}>Rule</TableCell>
              <TableCell style={nowrap}>Alerts when</TableCell>
              <TableCell style={nowrap}>Sends to</TableCell>
              <TableCell style={nowrap}>Changed</TableCell>
              <TableCell style={nowrap}>On</TableCell>
              <TableCell style={nowrap}>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.value.map(rule => (
              <TableRow key={rule.id}>
                <TableCell style={wrap}>
                  <strong>{rule.name}</strong>
                  <Typography
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    {ruleTypeLabel(rule.type)}
                  </Typography>
                </TableCell>
                <TableCell style={{ ...wrap, maxWidth: 280 }}>
                  {describeRule(rule)}
                </TableCell>
                <TableCell style={{ ...wrap, maxWidth: 320 }}>
                  {rule.channels.map(channel => (
                    <div key={channel.id}>{describeChannel(channel)}</div>
                  ))}
                </TableCell>
                <TableCell style={nowrap}>
                  <RelativeTime timestamp={rule.updatedAt} />
                  <Typography
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    by {actorName(rule.updatedBy)}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Tooltip
                    title={
                      canEdit
                        ? `Turn ${rule.enabled ? 'off' : 'on'}`
                        : 'You may not change the rules here'
                    }
                  >
                    <span>
                      <Switch
                        checked={rule.enabled}
                        disabled={!canEdit || toggling === rule.id}
                        onChange={() => toggle(rule)}
                        color="primary"
                        inputProps={{
                          'aria-label': `Alert rule ${rule.name} enabled`,
                        }}
                      />
                    </span>
                  </Tooltip>
                </TableCell>
                <TableCell>
                  <Box display="flex" gridGap={4} style={nowrap}>
                    <Button
                      size="small"
                      onClick={() => setShowing(rule)}
                      aria-label={`Deliveries of ${rule.name}`}
                    >
                      Deliveries
                    </Button>
                    {canEdit && (
                      <>
                        <Button
                          size="small"
                          onClick={() => setEditing({ rule })}
                          aria-label={`Edit alert rule ${rule.name}`}
                        >
                          Edit
                        </Button>
                        <Button
                          size="small"
                          color="secondary"
                          onClick={() => setDeleting(rule)}
                          aria-label={`Delete alert rule ${rule.name}`}
                        >
                          Delete
                        </Button>
                      </>
                    )}
                  </Box>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  return (
    <InfoCard
      title={props.title ?? 'Alert rules'}
      subheader={
        scope.kind === 'deployment'
          ? "Rules of this Deployment; the workspace's rules apply too."
          : 'Rules for every Deployment of this workspace.'
      }
    >
      {body}
      {canEdit && (
        <Box mt={2}>
          <Button
            variant="outlined"
            color="primary"
            startIcon={<AddIcon />}
            onClick={() => setEditing({})}
          >
            Create alert rule
          </Button>
        </Box>
      )}
      <AlertRuleDialog
        open={Boolean(editing)}
        scope={scope}
        alerts={alerts}
        rule={editing?.rule}
        onClose={() => setEditing(undefined)}
        onSaved={rule => {
          alertApi.post({
            message: `Alert rule ${rule.name} ${
              editing?.rule ? 'saved' : 'created'
            }.`,
            severity: 'success',
            display: 'transient',
          });
          setEditing(undefined);
          list.retry();
        }}
      />
      <AlertDeliveriesDialog
        rule={showing}
        alerts={alerts}
        onClose={() => setShowing(undefined)}
      />
      <ConfirmDialog
        open={Boolean(deleting)}
        title={`Delete alert rule ${deleting?.name ?? ''}?`}
        confirmLabel="Delete rule"
        busyLabel="Deleting…"
        failure="The rule was not deleted"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (deleting) {
            await alerts.remove(deleting);
            alertApi.post({
              message: `Alert rule ${deleting.name} deleted.`,
              severity: 'success',
              display: 'transient',
            });
          }
          setDeleting(undefined);
          list.retry();
        }}
      >
        It stops alerting at once, and its delivery records are deleted with it.
      </ConfirmDialog>
    </InfoCard>
  );
}

/** The alert rules of one Deployment; changes need astro.deployment.update. */
export function DeploymentAlertRulesCard(props: { deployment: Deployment }) {
  const { deployment } = props;
  const { allowed } = useAstroPermission(
    astroDeploymentUpdatePermission,
    deploymentResourceRef(deployment),
  );
  return (
    <AlertRulesCard
      canEdit={allowed}
      scope={{
        kind: 'deployment',
        organization: deployment.organization,
        deployment: deployment.name,
      }}
    />
  );
}

/** The alert rules of a workspace; changes need astro.workspace.update. */
export function WorkspaceAlertRulesCard(props: { workspace: Workspace }) {
  const { workspace } = props;
  const { allowed } = useAstroPermission(
    astroWorkspaceUpdatePermission,
    workspaceResourceRef(workspace.organization, workspace.name),
  );
  return (
    <AlertRulesCard
      title="Workspace alert rules"
      canEdit={allowed}
      scope={{
        kind: 'workspace',
        organization: workspace.organization,
        workspace: workspace.name,
      }}
    />
  );
}
