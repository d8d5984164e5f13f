import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  AlertDelivery,
  AlertRule,
} from '@airflow-portal/plugin-astro-common';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { StatusIcon } from '../common/DeploymentStatus';
import { RelativeTime } from '../common/RelativeTime';
import {
  DELIVERIES_SHOWN,
  ScopedAlertApi,
  channelTypeLabel,
  deliveryEventLabel,
} from './model';

function DeliveryStatus(props: { delivery: AlertDelivery }) {
  const { delivery } = props;
  const attempts =
    delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`;
  switch (delivery.status) {
    case 'sent':
      return <StatusIcon kind="ok">Sent ({attempts})</StatusIcon>;
    case 'failed':
      return <StatusIcon kind="error">Failed ({attempts})</StatusIcon>;
    default:
      return <StatusIcon kind="pending">Sending ({attempts})</StatusIcon>;
  }
}

/** A rule's most recent deliveries, newest first, with why one failed. */
export function AlertDeliveriesDialog(props: {
  rule?: AlertRule;
  alerts: ScopedAlertApi;
  onClose: () => void;
}) {
  const { rule, alerts, onClose } = props;
  const deliveries = useAsyncRetry(
    async () => (rule ? alerts.deliveries(rule) : []),
    [rule, alerts],
  );

  let body;
  if (deliveries.error) {
    body = (
      <AstroErrorPanel
        error={deliveries.error}
        what="the deliveries"
        onRetry={deliveries.retry}
      />
    );
  } else if (deliveries.loading && !deliveries.value) {
    body = <Progress aria-label="Loading deliveries" />;
  } else if ((deliveries.value ?? []).length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Nothing sent yet. Each alert this rule raises is recorded here, one line
        per channel.
      </Typography>
    );
  } else {
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label="Deliveries">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Alert</TableCell>
              <TableCell>Channel</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {deliveries.value!.map(delivery => (
              <TableRow key={delivery.id}>
                <TableCell>
                  <RelativeTime timestamp={delivery.createdAt} />
                </TableCell>
                <TableCell
                  style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}
                >
                  <strong>{delivery.title}</strong>
                  <Typography
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    {deliveryEventLabel(delivery.eventType)}
                    {delivery.deployment && ` · ${delivery.deployment}`}
                  </Typography>
                </TableCell>
                <TableCell>{channelTypeLabel(delivery.channelType)}</TableCell>
                <TableCell
                  style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}
                >
                  <DeliveryStatus delivery={delivery} />
                  {delivery.error && (
                    <Typography variant="caption" component="div" color="error">
                      {delivery.error}
                    </Typography>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {deliveries.value!.length >= DELIVERIES_SHOWN && (
          <Typography variant="caption" color="textSecondary">
            The {DELIVERIES_SHOWN} most recent.
          </Typography>
        )}
      </Box>
    );
  }

  return (
    <Dialog
      open={Boolean(rule)}
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="astro-alert-deliveries-title"
    >
      <DialogTitle id="astro-alert-deliveries-title">
        Deliveries of {rule?.name}
      </DialogTitle>
      <DialogContent>{body}</DialogContent>
      <DialogActions>
        <Button onClick={deliveries.retry}>Refresh</Button>
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
