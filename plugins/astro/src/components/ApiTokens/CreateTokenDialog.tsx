import { useEffect, useRef, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { fieldErrorsOf, messageOf } from '../common/errors';
import { newIdempotencyKey } from '../DeploymentForm/idempotency';
import {
  ApiTokenWithValue,
  DEFAULT_WORKSPACE_TOKEN_ROLE,
  ScopedTokenApi,
  TOKEN_LIMITS,
  TokenFormValues,
  TokenScope,
  WORKSPACE_TOKEN_ROLES,
  validateTokenForm,
} from './model';

const EMPTY: TokenFormValues = {
  name: '',
  description: '',
  expiresInDays: '90',
  role: DEFAULT_WORKSPACE_TOKEN_ROLE,
};

/**
 * The form of a new API token: name, description, expiry and, for a
 * workspace token, its role. Hands the created token, with its value, to
 * `onCreated`.
 */
export function CreateTokenDialog(props: {
  open: boolean;
  scope: TokenScope;
  tokens: ScopedTokenApi;
  onClose: () => void;
  onCreated: (token: ApiTokenWithValue) => void;
}) {
  const { open, scope, tokens, onClose, onCreated } = props;
  const [values, setValues] = useState<TokenFormValues>(EMPTY);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const key = useRef('');

  useEffect(() => {
    if (open) {
      setValues(EMPTY);
      setTouched(false);
      setServerErrors({});
      setError(undefined);
      key.current = newIdempotencyKey();
    }
  }, [open]);

  const validation = validateTokenForm(values, scope.kind);
  const errors = touched ? { ...serverErrors, ...validation.errors } : {};
  const set = <K extends keyof TokenFormValues>(
    k: K,
    v: TokenFormValues[K],
  ) => {
    setServerErrors({});
    setValues(current => ({ ...current, [k]: v }));
  };
  const role = WORKSPACE_TOKEN_ROLES.find(r => r.role === values.role);

  const create = async () => {
    setTouched(true);
    if (!validation.valid) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await tokens.create(validation.body, key.current));
    } catch (e) {
      const message = messageOf(e);
      // The API names fields of the body: `name: must …`.
      setServerErrors(fieldErrorsOf(message));
      setError(`The token was not created: ${message}`);
    } finally {
      setBusy(false);
    }
  };

  const where =
    scope.kind === 'deployment'
      ? `It may read Deployment ${scope.deployment} and deploy to it.`
      : `It acts on every Deployment of workspace ${scope.workspace} with the role you choose.`;

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="astro-create-token-title"
    >
      <DialogTitle id="astro-create-token-title">Create API token</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {where} Tokens are for pipelines and scripts; the API accepts them on
          its deploy and read endpoints only.
        </DialogContentText>
        {error && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            {error}
          </Alert>
        )}
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <TextField
              id="astro-token-name"
              label="Name"
              required
              fullWidth
              variant="outlined"
              value={values.name}
              inputProps={{ maxLength: TOKEN_LIMITS.nameLength }}
              error={Boolean(errors.name)}
              helperText={errors.name ?? 'What it is for, e.g. github-actions'}
              onChange={e => set('name', e.target.value)}
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              id="astro-token-description"
              label="Description"
              fullWidth
              multiline
              minRows={2}
              variant="outlined"
              value={values.description}
              error={Boolean(errors.description)}
              helperText={errors.description}
              onChange={e => set('description', e.target.value)}
            />
          </Grid>
          <Grid item xs={12} md={scope.kind === 'workspace' ? 6 : 12}>
            <TextField
              id="astro-token-expiry"
              label="Expires in (days)"
              type="number"
              fullWidth
              variant="outlined"
              value={values.expiresInDays}
              inputProps={{
                min: TOKEN_LIMITS.minDays,
                max: TOKEN_LIMITS.maxDays,
              }}
              error={Boolean(errors.expiresInDays)}
              helperText={
                errors.expiresInDays ??
                `${TOKEN_LIMITS.minDays}–${TOKEN_LIMITS.maxDays}; empty: it never expires`
              }
              onChange={e => set('expiresInDays', e.target.value)}
            />
          </Grid>
          {scope.kind === 'workspace' && (
            <Grid item xs={12} md={6}>
              <TextField
                id="astro-token-role"
                select
                fullWidth
                variant="outlined"
                label="Role"
                value={values.role}
                helperText={role?.help}
                SelectProps={{
                  renderValue: value =>
                    WORKSPACE_TOKEN_ROLES.find(r => r.role === value)?.label ??
                    String(value),
                }}
                onChange={e =>
                  set('role', e.target.value as TokenFormValues['role'])
                }
              >
                {WORKSPACE_TOKEN_ROLES.map(r => (
                  <MenuItem
                    key={r.role}
                    value={r.role}
                    style={{ whiteSpace: 'normal', maxWidth: 480 }}
                  >
                    <ListItemText primary={r.label} secondary={r.help} />
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
          )}
        </Grid>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color="primary"
          onClick={create}
          disabled={busy}
        >
          {busy ? 'Creating…' : 'Create token'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
