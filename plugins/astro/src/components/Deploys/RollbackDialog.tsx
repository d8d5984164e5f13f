import { useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { astroApiRef } from '../../api';
import { formatRelative } from '../common/RelativeTime';
import { messageOf, statusOf } from '../common/errors';
import { newIdempotencyKey } from '../DeploymentForm/idempotency';
import { Deploy, shortVersion } from './model';

const DESCRIPTION_MAX = 500;

/**
 * Confirms a rollback to an earlier deploy, with a description of why, and
 * makes it: a new deploy with the image and DAG bundle of the earlier one.
 * When the backend refuses (409: older than the retention period, or the
 * Deployment takes no deploys now) its message is shown and handed to
 * `onRefused`.
 */
export function RollbackDialog(props: {
  /** The deploy to roll back to; the dialog is open while there is one. */
  target?: Deploy;
  onClose: () => void;
  onRolledBack: (deploy: Deploy) => void;
  onRefused: (target: Deploy, message: string) => void;
}) {
  const { target, onClose, onRolledBack, onRefused } = props;
  const astroApi = useApi(astroApiRef);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const key = useRef<string>();

  useEffect(() => {
    if (target) {
      setDescription('');
      setError(undefined);
      key.current = newIdempotencyKey();
    }
  }, [target]);

  const rollback = async () => {
    if (!target) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const text = description.trim();
      const deploy = await astroApi.rollbackDeploy({
        path: {
          org: target.organization,
          dep: target.deployment,
          deploy: target.id,
        },
        header: key.current ? { 'Idempotency-Key': key.current } : undefined,
        body: { origin: 'UI', ...(text ? { description: text } : {}) },
      });
      onRolledBack(deploy);
    } catch (e) {
      const message = messageOf(e);
      if (statusOf(e) === 409) {
        onRefused(target, message);
        setError(`The platform refused the rollback: ${message}`);
      } else {
        setError(`The rollback was not made: ${message}`);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={Boolean(target)}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="astro-rollback-title"
    >
      <DialogTitle id="astro-rollback-title">
        Roll back to an earlier deploy?
      </DialogTitle>
      {target && (
        <DialogContent>
          <DialogContentText>
            A new deploy puts back what the deploy of{' '}
            {formatRelative(target.createdAt)} ran: image{' '}
            <code>{target.image}</code>
            {target.bundle && (
              <>
                {' '}
                and DAG bundle{' '}
                <code title={target.bundle.version}>
                  {shortVersion(target.bundle.version)}
                </code>
              </>
            )}
            . An image change restarts the components; DAGs are swapped in
            without a restart.
          </DialogContentText>
          {error && (
            <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
              {error}
            </Alert>
          )}
          <TextField
            id="astro-rollback-description"
            label="Description"
            fullWidth
            variant="outlined"
            value={description}
            inputProps={{ maxLength: DESCRIPTION_MAX }}
            helperText="Why you roll back, for the history"
            onChange={e => setDescription(e.target.value)}
          />
        </DialogContent>
      )}
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color="primary"
          onClick={rollback}
          disabled={busy}
        >
          {busy ? 'Rolling back…' : 'Roll back'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
