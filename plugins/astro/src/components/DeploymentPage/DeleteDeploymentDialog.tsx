import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { Deployment } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { messageOf } from '../common/errors';

/**
 * Asks for the Deployment's name before deleting it, so that nobody deletes
 * the wrong one by a slip of the mouse.
 */
export function DeleteDeploymentDialog(props: {
  deployment: Deployment;
  open: boolean;
  onClose: () => void;
  onDeleted: (deployment: Deployment) => void;
}) {
  const { deployment, open, onClose, onDeleted } = props;
  const astroApi = useApi(astroApiRef);
  const alertApi = useApi(alertApiRef);
  const [typed, setTyped] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string>();
  const confirmed = typed === deployment.name;

  const remove = async () => {
    setDeleting(true);
    setError(undefined);
    try {
      const deleted = await astroApi.deleteDeployment({
        path: { org: deployment.organization, dep: deployment.name },
      });
      alertApi.post({
        message: `Deployment ${deployment.name} is being deleted with everything on its cluster.`,
        severity: 'success',
        display: 'transient',
      });
      onDeleted(deleted);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="astro-delete-title"
      aria-describedby="astro-delete-description"
    >
      <DialogTitle id="astro-delete-title">
        Delete Deployment {deployment.name}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText id="astro-delete-description">
          Its Airflow environment, metadata database, task history and variables
          are removed from cluster {deployment.cluster}. This cannot be undone.
          Type <strong>{deployment.name}</strong> to confirm.
        </DialogContentText>
        {error && (
          <Alert severity="error" role="alert">
            The Deployment was not deleted: {error}
          </Alert>
        )}
        <TextField
          id="astro-delete-confirm"
          label="Deployment name"
          fullWidth
          autoComplete="off"
          value={typed}
          onChange={e => setTyped(e.target.value)}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={!confirmed || deleting}
          onClick={remove}
        >
          {deleting ? 'Deleting…' : 'Delete Deployment'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
