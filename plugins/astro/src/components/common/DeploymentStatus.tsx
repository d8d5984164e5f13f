import { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { DeploymentStatus as Status } from '@airflow-portal/plugin-astro-common';
import { VisuallyHidden } from './VisuallyHidden';

const LABELS: Record<Status, string> = {
  CREATING: 'Creating',
  DEPLOYING: 'Deploying',
  HEALTHY: 'Healthy',
  UNHEALTHY: 'Unhealthy',
  HIBERNATING: 'Hibernating',
  DELETING: 'Deleting',
  UNKNOWN: 'Unknown',
};

/** The words a user reads for a status. */
export function statusLabel(status: Status): string {
  return LABELS[status] ?? status;
}

const useStyles = makeStyles(theme => ({
  focusable: {
    display: 'inline-flex',
    borderRadius: theme.shape.borderRadius,
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
}));

/**
 * An icon of the status family Backstage uses, with the status's words next
 * to it so that colour is never the only signal. Backstage's status
 * components hide themselves from assistive technology; this one does not.
 */
export function StatusIcon(props: {
  kind: 'ok' | 'error' | 'warning' | 'pending' | 'running' | 'aborted';
  children: ReactNode;
}) {
  const a11y = { 'aria-hidden': false, 'aria-label': undefined } as const;
  switch (props.kind) {
    case 'ok':
      return <StatusOK {...a11y}>{props.children}</StatusOK>;
    case 'error':
      return <StatusError {...a11y}>{props.children}</StatusError>;
    case 'warning':
      return <StatusWarning {...a11y}>{props.children}</StatusWarning>;
    case 'running':
      return <StatusRunning {...a11y}>{props.children}</StatusRunning>;
    case 'pending':
      return <StatusPending {...a11y}>{props.children}</StatusPending>;
    default:
      return <StatusAborted {...a11y}>{props.children}</StatusAborted>;
  }
}

function kindOf(status: Status) {
  switch (status) {
    case 'HEALTHY':
      return 'ok';
    case 'UNHEALTHY':
      return 'error';
    case 'CREATING':
    case 'DEPLOYING':
      return 'running';
    case 'DELETING':
      return 'warning';
    case 'HIBERNATING':
      return 'aborted';
    default:
      return 'pending';
  }
}

/**
 * A Deployment's status as icon and words; its reason shows on hover and
 * keyboard focus, and is read out by screen readers.
 */
export function DeploymentStatus(props: { status: Status; reason?: string }) {
  const classes = useStyles();
  const { status, reason } = props;
  const label = (
    <StatusIcon kind={kindOf(status)}>
      {statusLabel(status)}
      {reason && <VisuallyHidden>: {reason}</VisuallyHidden>}
    </StatusIcon>
  );
  if (!reason) {
    return label;
  }
  return (
    <Tooltip title={reason}>
      {/* focusable so that keyboard users get the tooltip too */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <span tabIndex={0} className={classes.focusable}>
        {label}
      </span>
    </Tooltip>
  );
}
