import { FormEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { AstroRole, RoleBinding } from '@airflow-portal/plugin-astro-common';
import { fieldErrorsOf, messageOf, statusOf } from '../common/errors';
import {
  AccessScope,
  ROLE_TEXT,
  ScopedRolesApi,
  resourceRefOf,
  rolesOf,
  scopeKindText,
} from './model';
import { PrincipalPicker } from './PrincipalPicker';

/**
 * Grants a role of the scope to a user or group: the picker offers the
 * catalog's users and groups, the select exactly the roles of the scope,
 * each with what it allows. A principal that already holds a role here
 * gets the new one instead.
 */
export function AddRoleBindingDialog(props: {
  scope: AccessScope;
  roles: ScopedRolesApi;
  open: boolean;
  onClose: () => void;
  onAdded: (binding: RoleBinding) => void;
}) {
  const { scope, roles, open, onClose, onAdded } = props;
  const choices = rolesOf(scope);
  const [principal, setPrincipal] = useState<string>();
  const [role, setRole] = useState<AstroRole>(choices[choices.length - 1]);
  const [touched, setTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const close = () => {
    setError(undefined);
    setFieldErrors({});
    setTouched(false);
    onClose();
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!principal) {
      return;
    }
    setSaving(true);
    setError(undefined);
    setFieldErrors({});
    try {
      onAdded(await roles.set({ principal, role }));
      setTouched(false);
    } catch (e) {
      const message = messageOf(e);
      if (statusOf(e) === 400) {
        setFieldErrors(fieldErrorsOf(message));
      }
      setError(message);
    } finally {
      setSaving(false);
    }
  };

  const where = `${scopeKindText(scope.kind)} ${resourceRefOf(scope)}`;
  return (
    <Dialog
      open={open}
      onClose={saving ? undefined : close}
      aria-labelledby="astro-add-role-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate aria-label="Grant a role">
        <DialogTitle id="astro-add-role-title">Add to {where}</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Group roles apply to every member of the group, including members of
            its child groups.
          </DialogContentText>
          {error && (
            <Alert severity="error" role="alert">
              The role was not granted: {error}
            </Alert>
          )}
          <PrincipalPicker
            onChange={setPrincipal}
            disabled={saving}
            error={
              fieldErrors.principal ??
              (touched && !principal
                ? 'Pick a user or group, or type a ref such as group:default/data-eng'
                : undefined)
            }
          />
          <TextField
            id="astro-role-select"
            select
            label="Role"
            fullWidth
            margin="normal"
            value={role}
            disabled={saving}
            onChange={e => setRole(e.target.value as AstroRole)}
            helperText={fieldErrors.role ?? ROLE_TEXT[role].description}
            error={Boolean(fieldErrors.role)}
            SelectProps={{
              renderValue: value => ROLE_TEXT[value as AstroRole].label,
            }}
          >
            {choices.map(choice => (
              <MenuItem key={choice} value={choice}>
                <ListItemText
                  primary={ROLE_TEXT[choice].label}
                  secondary={ROLE_TEXT[choice].description}
                />
              </MenuItem>
            ))}
          </TextField>
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={saving}
          >
            {saving ? 'Granting…' : 'Grant role'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
