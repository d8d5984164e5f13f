import { ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { messageOf } from './errors';

let nextId = 0;

/**
 * Asks before an action that cannot be taken back, runs it, and shows the
 * backend's message when it fails (the dialog stays open then).
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  /** The confirming button's label, e.g. "Revoke token". */
  confirmLabel: string;
  /** Its label while the action runs, e.g. "Revoking…". */
  busyLabel: string;
  /** Says what failed, e.g. "The token was not revoked". */
  failure: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { open, title, children, confirmLabel, busyLabel, failure } = props;
  const [id] = useState(() => {
    nextId += 1;
    return `astro-confirm-${nextId}`;
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const close = () => {
    setError(undefined);
    props.onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : close}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
    >
      <DialogTitle id={`${id}-title`}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText id={`${id}-text`} component="div">
          {children}
        </DialogContentText>
        {error && (
          <Alert severity="error" role="alert">
            {failure}: {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          {busy ? busyLabel : confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
