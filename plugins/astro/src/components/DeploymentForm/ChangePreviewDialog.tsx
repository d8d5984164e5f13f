import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { ChangesTable } from './ChangesTable';
import { FieldChange } from './diff';

/**
 * Shows what saving an edit will change before it is sent, field by field.
 */
export function ChangePreviewDialog(props: {
  open: boolean;
  changes: FieldChange[];
  saving: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { open, changes, saving, onCancel, onConfirm } = props;
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      aria-labelledby="astro-change-preview-title"
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id="astro-change-preview-title">Review changes</DialogTitle>
      <DialogContent>
        {changes.length === 0 ? (
          <Typography>
            Nothing changes: the settings are as they are.
          </Typography>
        ) : (
          <>
            <Typography gutterBottom>
              Saving rolls these changes out to the Deployment:
            </Typography>
            <ChangesTable changes={changes} afterLabel="After saving" />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Back to editing</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={onConfirm}
          disabled={saving || changes.length === 0}
        >
          {saving ? 'Saving…' : 'Save changes'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
