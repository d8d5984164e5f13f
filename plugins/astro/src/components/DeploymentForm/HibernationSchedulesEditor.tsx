import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import {
  DEFAULT_SCHEDULE_TIME_ZONE,
  HibernationState,
} from '@airflow-portal/plugin-astro-common';
import { describeCron, formatMoment } from '../Hibernation/describeCron';
import { FieldErrors, ScheduleRow, newRowId } from './formModel';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    margin: theme.spacing(0, 0, 2, 0),
    padding: theme.spacing(2),
    minWidth: 0,
  },
  legend: { padding: theme.spacing(0, 1), fontWeight: 500 },
  cron: { flex: '2 1 220px' },
  zone: { flex: '2 1 200px' },
  description: { flex: '3 1 240px' },
}));

/** Id of the list of time zones the time zone fields suggest. */
const TIME_ZONE_LIST = 'astro-time-zones';

/** The IANA time zones the browser knows, UTC first. */
function timeZones(): string[] {
  const known: string[] =
    typeof Intl.supportedValuesOf === 'function'
      ? Intl.supportedValuesOf('timeZone')
      : [];
  return [...new Set([DEFAULT_SCHEDULE_TIME_ZONE, ...known])];
}

/**
 * Edits hibernation schedules: when the Deployment goes to sleep and when it
 * wakes (cron expressions, described in words as they are typed), in which
 * time zone, and whether each applies. The next transitions come from the
 * backend, which plans them, so the page never computes them differently.
 */
export function HibernationSchedulesEditor(props: {
  rows: ScheduleRow[];
  onChange: (rows: ScheduleRow[]) => void;
  errors: FieldErrors;
  maxSchedules: number;
  /** The backend's plan of the saved schedules, when editing. */
  state?: HibernationState;
}) {
  const classes = useStyles();
  const { rows, onChange, errors, maxSchedules, state } = props;
  const update = (index: number, change: Partial<ScheduleRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));

  return (
    <Box>
      <Typography variant="body2" color="textSecondary" paragraph>
        While it hibernates, the Deployment runs no scheduler, API server,
        triggerer, DAG processor or workers; its metadata database, secrets and
        deploys are kept. Not available with high availability.
      </Typography>
      {rows.map((row, index) => {
        const path = `settings.hibernation.schedules[${index}]`;
        const error = (field: string) => errors[`${path}.${field}`];
        const label = row.description
          ? `Hibernation schedule ${row.description}`
          : `Hibernation schedule ${index + 1}`;
        return (
          <fieldset key={row.id} className={classes.row} aria-label={label}>
            <legend className={classes.legend}>{label}</legend>
            <TextField
              className={classes.cron}
              id={`${row.id}-hibernate-at`}
              label="Hibernate at (cron)"
              size="small"
              variant="outlined"
              required
              value={row.hibernateAt}
              error={Boolean(error('hibernateAt'))}
              helperText={
                error('hibernateAt') ??
                describeCron(row.hibernateAt) ??
                'e.g. 0 20 * * 1-5'
              }
              onChange={e => update(index, { hibernateAt: e.target.value })}
            />
            <TextField
              className={classes.cron}
              id={`${row.id}-wake-at`}
              label="Wake at (cron)"
              size="small"
              variant="outlined"
              required
              value={row.wakeAt}
              error={Boolean(error('wakeAt'))}
              helperText={
                error('wakeAt') ??
                describeCron(row.wakeAt) ??
                'e.g. 0 7 * * 1-5'
              }
              onChange={e => update(index, { wakeAt: e.target.value })}
            />
            <TextField
              className={classes.zone}
              id={`${row.id}-time-zone`}
              label="Time zone"
              size="small"
              variant="outlined"
              value={row.timeZone}
              inputProps={{ list: TIME_ZONE_LIST }}
              error={Boolean(error('timeZone'))}
              helperText={error('timeZone') ?? 'IANA name, e.g. Europe/Berlin'}
              onChange={e => update(index, { timeZone: e.target.value })}
            />
            <TextField
              className={classes.description}
              id={`${row.id}-description`}
              label="Description"
              size="small"
              variant="outlined"
              value={row.description}
              error={Boolean(error('description'))}
              helperText={error('description')}
              onChange={e => update(index, { description: e.target.value })}
            />
            <FormControlLabel
              control={
                <Switch
                  checked={row.enabled}
                  onChange={e => update(index, { enabled: e.target.checked })}
                  inputProps={{
                    'aria-invalid': Boolean(errors[path]),
                    'aria-describedby': errors[path]
                      ? `${row.id}-error`
                      : undefined,
                  }}
                />
              }
              label="Enabled"
            />
            <IconButton
              aria-label={`Remove ${label.toLowerCase()}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              <DeleteIcon />
            </IconButton>
            {errors[path] && (
              <Typography
                id={`${row.id}-error`}
                color="error"
                variant="body2"
                role="alert"
              >
                This schedule {errors[path]}
              </Typography>
            )}
          </fieldset>
        );
      })}
      {state && state.nextTransitions.length > 0 && (
        <List dense aria-label="Next transitions of the saved schedules">
          {state.nextTransitions.map(t => (
            <ListItem key={`${t.at}-${t.action}`} disableGutters>
              <ListItemText
                primary={`${
                  t.action === 'HIBERNATE' ? 'Hibernates' : 'Wakes up'
                } ${formatMoment(t.at)}`}
              />
            </ListItem>
          ))}
        </List>
      )}
      {rows.length > 0 && (
        <datalist id={TIME_ZONE_LIST}>
          {timeZones().map(zone => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      )}
      <Button
        startIcon={<AddIcon />}
        disabled={rows.length >= maxSchedules}
        onClick={() =>
          onChange([
            ...rows,
            {
              id: newRowId(),
              hibernateAt: '0 20 * * 1-5',
              wakeAt: '0 7 * * 1-5',
              timeZone: DEFAULT_SCHEDULE_TIME_ZONE,
              enabled: true,
              description: '',
            },
          ])
        }
      >
        Add hibernation schedule
      </Button>
    </Box>
  );
}
