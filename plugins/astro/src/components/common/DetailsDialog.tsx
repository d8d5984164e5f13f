import { FormEvent, useEffect, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { fieldErrorsOf, messageOf, statusOf } from './errors';

/** What {@link DetailsDialog} edits. */
export interface Details {
  name: string;
  title: string;
  description: string;
}

/**
 * Creates or changes the name, title and description of an organization
 * or a workspace. The name is asked for only when creating. The backend
 * validates; its field messages are shown next to the fields and anything
 * else (a 403 names the missing permission) above them.
 */
export function DetailsDialog(props: {
  open: boolean;
  heading: string;
  /** Ask for a name (creating). */
  withName?: boolean;
  initial?: Partial<Details>;
  submitLabel: string;
  busyLabel: string;
  /** Says what failed, e.g. "The workspace was not created". */
  failure: string;
  onSubmit: (details: Details) => Promise<void>;
  onClose: () => void;
}) {
  const { open, heading, withName, initial, submitLabel, busyLabel } = props;
  const [values, setValues] = useState<Details>({
    name: '',
    title: '',
    description: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (open) {
      setValues({
        name: initial?.name ?? '',
        title: initial?.title ?? '',
        description: initial?.description ?? '',
      });
      setError(undefined);
      setFieldErrors({});
    }
    // Reset when the dialog opens, not when the caller re-renders.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      await props.onSubmit(values);
    } catch (e) {
      const message = messageOf(e);
      const status = statusOf(e);
      if (status === 400 || status === 409) {
        setFieldErrors(
          status === 409 && withName
            ? { name: message }
            : fieldErrorsOf(message),
        );
      }
      setError(`${props.failure}: ${message}`);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof Details, label: string, extra: object = {}) => (
    <TextField
      id={`astro-details-field-${key}`}
      label={label}
      fullWidth
      margin="normal"
      value={values[key]}
      disabled={busy}
      error={Boolean(fieldErrors[key])}
      helperText={fieldErrors[key]}
      onChange={e => setValues({ ...values, [key]: e.target.value })}
      {...extra}
    />
  );

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : props.onClose}
      aria-labelledby="astro-details-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate aria-label={heading}>
        <DialogTitle id="astro-details-title">{heading}</DialogTitle>
        <DialogContent>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          {withName &&
            field('name', 'Name', {
              required: true,
              autoComplete: 'off',
            })}
          {field('title', 'Title')}
          {field('description', 'Description', { multiline: true })}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || (withName && !values.name.trim())}
          >
            {busy ? busyLabel : submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
