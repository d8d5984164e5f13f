import { useEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import type {
  AlertChannelType,
  AlertRule,
  AlertRuleType,
  AlertSeverity,
} from '@airflow-portal/plugin-astro-common';
import { fieldErrorsOf, messageOf } from '../common/errors';
import { useFocusFirstInvalid } from '../common/focusFirstInvalid';
import { newIdempotencyKey } from '../DeploymentForm/idempotency';
import {
  ALERT_LIMITS,
  AlertScope,
  CHANNEL_TYPES,
  ChannelFormValues,
  RULE_TYPES,
  RuleFormErrors,
  RuleFormValues,
  ScopedAlertApi,
  emptyChannel,
  emptyRuleForm,
  formKeyOf,
  patchOf,
  ruleForm,
  validateRuleForm,
} from './model';

function mapServerErrors(message: string): RuleFormErrors {
  const errors: RuleFormErrors = {};
  for (const [path, text] of Object.entries(fieldErrorsOf(message))) {
    errors[formKeyOf(path)] = text;
  }
  return errors;
}

/** The channel editor: a type and the fields of that type. */
function ChannelFields(props: {
  index: number;
  channel: ChannelFormValues;
  errors: RuleFormErrors;
  removable: boolean;
  onChange: (channel: ChannelFormValues) => void;
  onRemove: () => void;
}) {
  const { index, channel, errors, removable, onChange, onRemove } = props;
  const at = `channels.${index}`;
  const id = `astro-alert-channel-${index}`;
  const type = CHANNEL_TYPES.find(t => t.type === channel.type);
  const set = <K extends keyof ChannelFormValues>(
    key: K,
    value: ChannelFormValues[K],
  ) => onChange({ ...channel, [key]: value });
  const keepsSecret = Boolean(channel.id && channel.hasSecret);
  return (
    <Paper variant="outlined" style={{ padding: 16 }}>
      <Grid container spacing={2} alignItems="flex-start">
        <Grid item xs={11} md={5}>
          <TextField
            id={`${id}-type`}
            select
            fullWidth
            variant="outlined"
            label={`Channel ${index + 1}`}
            value={channel.type}
            helperText={type?.help}
            SelectProps={{
              renderValue: value =>
                CHANNEL_TYPES.find(t => t.type === value)?.label ??
                String(value),
            }}
            onChange={e =>
              // Another type is another channel: nothing of the old one stays.
              onChange(emptyChannel(e.target.value as AlertChannelType))
            }
          >
            {CHANNEL_TYPES.map(t => (
              <MenuItem
                key={t.type}
                value={t.type}
                style={{ whiteSpace: 'normal', maxWidth: 480 }}
              >
                <ListItemText primary={t.label} secondary={t.help} />
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={11} md={6}>
          {channel.type === 'email' && (
            <TextField
              id={`${id}-addresses`}
              label="E-mail addresses"
              required
              fullWidth
              multiline
              variant="outlined"
              value={channel.addresses}
              error={Boolean(errors[`${at}.addresses`])}
              helperText={
                errors[`${at}.addresses`] ??
                `Separated by commas or spaces; at most ${ALERT_LIMITS.maxAddresses}.`
              }
              onChange={e => set('addresses', e.target.value)}
            />
          )}
          {(channel.type === 'webhook' || channel.type === 'slack') && (
            <TextField
              id={`${id}-url`}
              label={channel.type === 'slack' ? 'Incoming-webhook URL' : 'URL'}
              required={!(channel.type === 'slack' && keepsSecret)}
              fullWidth
              variant="outlined"
              type={channel.type === 'slack' ? 'password' : 'url'}
              autoComplete="off"
              value={channel.url}
              placeholder={
                channel.type === 'slack' && keepsSecret
                  ? 'Stored; leave empty to keep it'
                  : undefined
              }
              error={Boolean(errors[`${at}.url`])}
              helperText={
                errors[`${at}.url`] ??
                (channel.type === 'slack'
                  ? 'Stored encrypted and never shown again.'
                  : 'Receives a JSON POST for each alert.')
              }
              onChange={e => set('url', e.target.value)}
            />
          )}
          {channel.type === 'notifications' && (
            <Typography variant="body2" color="textSecondary">
              No address needed: the owners are found in the catalog.
            </Typography>
          )}
        </Grid>
        <Grid item xs={1}>
          {removable && (
            <IconButton
              aria-label={`Remove channel ${index + 1}`}
              onClick={onRemove}
              size="small"
            >
              <DeleteIcon />
            </IconButton>
          )}
        </Grid>
        {channel.type === 'webhook' && (
          <>
            <Grid item xs={12} md={5}>
              <TextField
                id={`${id}-header-name`}
                label="Secret header (optional)"
                fullWidth
                variant="outlined"
                value={channel.secretHeaderName}
                placeholder="Authorization"
                error={Boolean(errors[`${at}.secretHeaderName`])}
                helperText={errors[`${at}.secretHeaderName`]}
                onChange={e => set('secretHeaderName', e.target.value)}
              />
            </Grid>
            <Grid item xs={11} md={6}>
              <TextField
                id={`${id}-header-value`}
                label="Header value"
                fullWidth
                variant="outlined"
                type="password"
                autoComplete="off"
                value={channel.secretHeaderValue}
                placeholder={
                  keepsSecret ? 'Stored; leave empty to keep it' : undefined
                }
                error={Boolean(errors[`${at}.secretHeaderValue`])}
                helperText={
                  errors[`${at}.secretHeaderValue`] ??
                  'Write-only: stored encrypted, never shown.'
                }
                onChange={e => set('secretHeaderValue', e.target.value)}
              />
            </Grid>
          </>
        )}
      </Grid>
    </Paper>
  );
}

/**
 * Creates a rule, or edits one (`rule` given): its name, what it alerts
 * on (the type cannot change once created) and its channels. Secrets are
 * write-only: an existing channel keeps its stored secret unless a new one
 * is typed.
 */
export function AlertRuleDialog(props: {
  open: boolean;
  scope: AlertScope;
  alerts: ScopedAlertApi;
  rule?: AlertRule;
  onClose: () => void;
  onSaved: (rule: AlertRule) => void;
}) {
  const { open, scope, alerts, rule, onClose, onSaved } = props;
  const [values, setValues] = useState<RuleFormValues>(emptyRuleForm);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<RuleFormErrors>({});
  const [error, setError] = useState<string>();
  const key = useRef('');
  const focus = useFocusFirstInvalid<HTMLDivElement, HTMLDivElement>();

  useEffect(() => {
    if (open) {
      setValues(rule ? ruleForm(rule) : emptyRuleForm());
      setTouched(false);
      setServerErrors({});
      setError(undefined);
      key.current = newIdempotencyKey();
    }
  }, [open, rule]);

  const validation = validateRuleForm(values);
  const errors = touched ? { ...serverErrors, ...validation.errors } : {};
  const set = <K extends keyof RuleFormValues>(k: K, v: RuleFormValues[K]) => {
    setServerErrors({});
    setError(undefined);
    setValues(current => ({ ...current, [k]: v }));
  };
  const setChannel = (index: number, channel: ChannelFormValues) =>
    set(
      'channels',
      values.channels.map((c, i) => (i === index ? channel : c)),
    );

  const save = async () => {
    setTouched(true);
    if (!validation.valid) {
      focus.request();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onSaved(
        rule
          ? await alerts.update(rule, patchOf(validation.body))
          : await alerts.create(validation.body, key.current),
      );
    } catch (e) {
      const message = messageOf(e);
      const fields = mapServerErrors(message);
      setServerErrors(fields);
      focus.request();
      setError(
        `The rule was not ${rule ? 'saved' : 'created'}: ${message}${
          /version/i.test(message) ? ' Close and open it again.' : ''
        }`,
      );
    } finally {
      setBusy(false);
    }
  };

  const type = RULE_TYPES.find(t => t.type === values.type);
  const where =
    scope.kind === 'deployment'
      ? `It covers Deployment ${scope.deployment}.`
      : `It covers every Deployment of workspace ${scope.workspace}, now and later.`;
  const invalidCount = Object.keys(validation.errors).length;

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="astro-alert-rule-title"
    >
      <DialogTitle id="astro-alert-rule-title">
        {rule ? `Edit alert rule ${rule.name}` : 'Create alert rule'}
      </DialogTitle>
      <DialogContent ref={focus.containerRef}>
        <DialogContentText>{where}</DialogContentText>
        {error && (
          <Alert
            ref={focus.fallbackRef}
            tabIndex={-1}
            severity="error"
            role="alert"
            style={{ marginBottom: 16 }}
          >
            {error}
          </Alert>
        )}
        {touched && invalidCount > 0 && !error && (
          <Alert severity="error" role="alert" style={{ marginBottom: 16 }}>
            {invalidCount === 1
              ? 'One field needs attention.'
              : `${invalidCount} fields need attention.`}
          </Alert>
        )}
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <TextField
              id="astro-alert-name"
              label="Name"
              required
              fullWidth
              variant="outlined"
              value={values.name}
              inputProps={{ maxLength: ALERT_LIMITS.nameLength }}
              error={Boolean(errors.name)}
              helperText={errors.name ?? 'What it is for, e.g. failing-dags'}
              onChange={e => set('name', e.target.value)}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <TextField
              id="astro-alert-type"
              select
              fullWidth
              variant="outlined"
              label="Alert when"
              value={values.type}
              disabled={Boolean(rule)}
              helperText={
                rule
                  ? 'The kind of a rule cannot change; create another rule instead.'
                  : type?.help
              }
              SelectProps={{
                renderValue: value =>
                  RULE_TYPES.find(t => t.type === value)?.label ??
                  String(value),
              }}
              onChange={e => set('type', e.target.value as AlertRuleType)}
            >
              {RULE_TYPES.map(t => (
                <MenuItem
                  key={t.type}
                  value={t.type}
                  style={{ whiteSpace: 'normal', maxWidth: 480 }}
                >
                  <ListItemText primary={t.label} secondary={t.help} />
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          {values.type !== 'incident' && (
            <Grid item xs={12} md={values.type === 'dag-duration' ? 8 : 12}>
              <TextField
                id="astro-alert-dags"
                label="DAGs"
                fullWidth
                variant="outlined"
                value={values.dagIds}
                placeholder="Every DAG"
                error={Boolean(errors.dagIds)}
                helperText={
                  errors.dagIds ??
                  'DAG ids separated by commas; empty covers every DAG.'
                }
                onChange={e => set('dagIds', e.target.value)}
              />
            </Grid>
          )}
          {values.type === 'dag-duration' && (
            <Grid item xs={12} md={4}>
              <TextField
                id="astro-alert-minutes"
                label="Longer than (minutes)"
                type="number"
                required
                fullWidth
                variant="outlined"
                value={values.thresholdMinutes}
                inputProps={{ min: 1, max: ALERT_LIMITS.maxMinutes }}
                error={Boolean(errors.thresholdMinutes)}
                helperText={
                  errors.thresholdMinutes ??
                  `1–${ALERT_LIMITS.maxMinutes} (a week)`
                }
                onChange={e => set('thresholdMinutes', e.target.value)}
              />
            </Grid>
          )}
          {values.type === 'incident' && (
            <Grid item xs={12} md={6}>
              <TextField
                id="astro-alert-severity"
                select
                fullWidth
                variant="outlined"
                label="Least severity"
                value={values.minSeverity}
                helperText="Warning includes critical incidents."
                onChange={e =>
                  set('minSeverity', e.target.value as AlertSeverity)
                }
              >
                <MenuItem value="warning">Warning</MenuItem>
                <MenuItem value="critical">Critical</MenuItem>
              </TextField>
            </Grid>
          )}
          <Grid item xs={12}>
            <Typography variant="subtitle2" component="h3" gutterBottom>
              Send to
            </Typography>
            {errors.channels && (
              <Typography color="error" variant="body2" role="alert">
                {errors.channels}
              </Typography>
            )}
            <Box display="flex" flexDirection="column" gridGap={12}>
              {values.channels.map((channel, index) => (
                <ChannelFields
                  // Channels have no stable key before they are saved.
                  // eslint-disable-next-line react/no-array-index-key
                  key={index}
                  index={index}
                  channel={channel}
                  errors={errors}
                  removable={values.channels.length > 1}
                  onChange={c => setChannel(index, c)}
                  onRemove={() =>
                    set(
                      'channels',
                      values.channels.filter((_, i) => i !== index),
                    )
                  }
                />
              ))}
            </Box>
            {values.channels.length < ALERT_LIMITS.maxChannels && (
              <Button
                startIcon={<AddIcon />}
                style={{ marginTop: 8 }}
                onClick={() =>
                  set('channels', [...values.channels, emptyChannel()])
                }
              >
                Add channel
              </Button>
            )}
          </Grid>
          <Grid item xs={12}>
            <FormControlLabel
              control={
                <Switch
                  checked={values.enabled}
                  onChange={e => set('enabled', e.target.checked)}
                  color="primary"
                />
              }
              label="Enabled"
            />
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
          {busy && (rule ? 'Saving…' : 'Creating…')}
          {!busy && (rule ? 'Save rule' : 'Create rule')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
