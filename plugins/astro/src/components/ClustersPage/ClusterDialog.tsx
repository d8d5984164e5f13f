import { useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import type { Cluster } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { messageOf } from '../common/errors';
import { newIdempotencyKey } from '../DeploymentForm/idempotency';
import {
  CLUSTER_FIELD_IDS,
  ClusterFormErrors,
  ClusterFormValues,
  clusterFormOf,
  createBodyOf,
  emptyClusterForm,
  firstInvalidField,
  serverErrorsOf,
  updateBodyOf,
  validateClusterForm,
} from './clusterForm';

function focusField(errors: ClusterFormErrors) {
  const field = firstInvalidField(errors);
  if (field) {
    // After the render that shows the messages.
    setTimeout(() =>
      document.getElementById(CLUSTER_FIELD_IDS[field])?.focus(),
    );
  }
}

/**
 * Registers a Kubernetes cluster, or changes an API-registered one
 * (`cluster` given): its title and description, and its connection. The
 * connection is write-only: it is never shown again, and an edit keeps
 * the stored one unless a new one is typed.
 */
export function ClusterDialog(props: {
  open: boolean;
  cluster?: Cluster;
  onClose: () => void;
  onSaved: (cluster: Cluster) => void;
}) {
  const { open, cluster, onClose, onSaved } = props;
  const astroApi = useApi(astroApiRef);
  const mode = cluster ? 'edit' : 'create';
  const [values, setValues] = useState<ClusterFormValues>(emptyClusterForm);
  const [errors, setErrors] = useState<ClusterFormErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useRef('');
  const organizations = useAsync(
    async () =>
      open && !cluster ? (await astroApi.listOrganizations()).items : [],
    [astroApi, open, cluster],
  );

  useEffect(() => {
    if (open) {
      setValues(cluster ? clusterFormOf(cluster) : emptyClusterForm());
      setErrors({});
      setError(undefined);
      key.current = newIdempotencyKey();
    }
  }, [open, cluster]);

  const set = <K extends keyof ClusterFormValues>(
    field: K,
    value: ClusterFormValues[K],
  ) => {
    setErrors(current => ({ ...current, [field]: undefined }));
    setValues(current => ({ ...current, [field]: value }));
  };

  const save = async () => {
    const invalid = validateClusterForm(values, mode);
    setErrors(invalid);
    setError(undefined);
    if (firstInvalidField(invalid)) {
      focusField(invalid);
      return;
    }
    setBusy(true);
    try {
      const saved = cluster
        ? await astroApi.updateCluster({
            path: { cluster: cluster.name },
            body: updateBodyOf(values, cluster.version),
          })
        : await astroApi.createCluster({
            header: { 'Idempotency-Key': key.current },
            body: createBodyOf(values),
          });
      onSaved(saved);
    } catch (e) {
      const message = messageOf(e);
      const fieldErrors = serverErrorsOf(message);
      setErrors(fieldErrors);
      focusField(fieldErrors);
      setError(
        `The cluster was not ${cluster ? 'changed' : 'registered'}: ${message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  const labels = cluster
    ? { idle: 'Save', busy: 'Saving…' }
    : { idle: 'Register', busy: 'Registering…' };
  const field = (name: keyof ClusterFormValues, help?: string) => ({
    id: CLUSTER_FIELD_IDS[name],
    fullWidth: true,
    variant: 'outlined' as const,
    error: Boolean(errors[name]),
    helperText: errors[name] ?? help,
  });

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="astro-cluster-dialog-title"
    >
      <DialogTitle id="astro-cluster-dialog-title">
        {cluster
          ? `Edit cluster ${cluster.title || cluster.name}`
          : 'Register cluster'}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {cluster
            ? 'Name, type and location stay as registered. Fill in the connection only to replace the stored one.'
            : 'A Kubernetes cluster the platform places Deployments on, driven through its API server with a service account token.'}
        </DialogContentText>
        {error && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            {error}
          </Alert>
        )}
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <TextField
              {...field('name', 'Immutable, e.g. prod-eu-1')}
              label="Name"
              required
              disabled={Boolean(cluster)}
              value={values.name}
              inputProps={{ maxLength: 63 }}
              onChange={e => set('name', e.target.value)}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              {...field('title', 'Shown instead of the name')}
              label="Title"
              value={values.title}
              onChange={e => set('title', e.target.value)}
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              {...field('description')}
              label="Description"
              value={values.description}
              onChange={e => set('description', e.target.value)}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              {...field(
                'type',
                values.type === 'dedicated'
                  ? 'Only one organization deploys to it'
                  : 'Every organization may deploy to it',
              )}
              select
              label="Type"
              disabled={Boolean(cluster)}
              value={values.type}
              onChange={e =>
                set('type', e.target.value as ClusterFormValues['type'])
              }
            >
              <MenuItem value="standard">Standard (shared)</MenuItem>
              <MenuItem value="dedicated">Dedicated</MenuItem>
            </TextField>
          </Grid>
          <Grid item xs={12} md={6}>
            {values.type === 'dedicated' && (
              <TextField
                {...field(
                  'organization',
                  organizations.error
                    ? `Organizations not loaded: ${messageOf(
                        organizations.error,
                      )}`
                    : undefined,
                )}
                select
                label="Organization"
                required
                disabled={Boolean(cluster)}
                value={values.organization}
                onChange={e => set('organization', e.target.value as string)}
              >
                {cluster && (
                  <MenuItem value={values.organization}>
                    {values.organization}
                  </MenuItem>
                )}
                {(organizations.value ?? []).map(org => (
                  <MenuItem key={org.name} value={org.name}>
                    {org.title || org.name}
                  </MenuItem>
                ))}
              </TextField>
            )}
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              {...field('provider', 'e.g. aws, gcp, azure, on-prem')}
              label="Provider"
              required
              disabled={Boolean(cluster)}
              value={values.provider}
              inputProps={{ maxLength: 100 }}
              onChange={e => set('provider', e.target.value)}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              {...field('region', 'Region or location, e.g. eu-west-1')}
              label="Region"
              required
              disabled={Boolean(cluster)}
              value={values.region}
              inputProps={{ maxLength: 100 }}
              onChange={e => set('region', e.target.value)}
            />
          </Grid>
          <Grid item xs={12}>
            <Typography variant="subtitle2" component="h3">
              Connection
            </Typography>
            {cluster && (
              <Typography variant="body2" color="textSecondary">
                Stored encrypted and never shown; leave these empty to keep it.
              </Typography>
            )}
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              {...field('server', 'The Kubernetes API server URL')}
              label="API server URL"
              required={!cluster}
              type="url"
              placeholder="https://10.0.0.1:6443"
              value={values.server}
              inputProps={{ maxLength: 500 }}
              onChange={e => set('server', e.target.value)}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              {...field(
                'token',
                'Service account bearer token; write-only, stored encrypted',
              )}
              label="Token"
              required={!cluster}
              type="password"
              autoComplete="off"
              value={values.token}
              inputProps={{ maxLength: 10000 }}
              onChange={e => set('token', e.target.value)}
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              {...field(
                'caData',
                'Base64-encoded PEM of the CA that signed the server certificate; empty: the system roots',
              )}
              label="CA certificate (base64)"
              multiline
              minRows={2}
              disabled={values.skipTLSVerify}
              value={values.caData}
              inputProps={{ maxLength: 20000 }}
              onChange={e => set('caData', e.target.value)}
            />
          </Grid>
          <Grid item xs={12}>
            <FormControlLabel
              control={
                <Checkbox
                  id={CLUSTER_FIELD_IDS.skipTLSVerify}
                  checked={values.skipTLSVerify}
                  onChange={e => set('skipTLSVerify', e.target.checked)}
                />
              }
              label="Skip TLS verification"
            />
            <FormHelperText error={Boolean(errors.skipTLSVerify)}>
              {errors.skipTLSVerify ??
                'Accepts any server certificate: for development clusters only'}
            </FormHelperText>
          </Grid>
        </Grid>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={busy}
        >
          {busy ? labels.busy : labels.idle}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
