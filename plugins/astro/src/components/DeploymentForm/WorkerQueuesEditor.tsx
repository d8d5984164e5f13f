import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import { DeploymentOptions } from '@airflow-portal/plugin-astro-common';
import { invalidSelectProps } from '../common/focusFirstInvalid';
import { FieldErrors, QueueRow, newRowId } from './formModel';

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
  name: { flex: '2 1 180px' },
  size: { flex: '2 1 180px' },
  number: { flex: '1 1 140px' },
}));

function rangeHelp(range: { floor: number; ceiling: number }) {
  return `${range.floor}–${range.ceiling}`;
}

/**
 * Edits Celery worker queues as rows: name, worker type, autoscaling bounds,
 * concurrency, and which queue is the default. Ranges and defaults come from
 * the deployment options.
 */
export function WorkerQueuesEditor(props: {
  rows: QueueRow[];
  onChange: (rows: QueueRow[]) => void;
  errors: FieldErrors;
  options: DeploymentOptions;
}) {
  const classes = useStyles();
  const { rows, onChange, errors, options } = props;
  const limits = options.workerQueues;
  const update = (index: number, change: Partial<QueueRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const machine = (name: string) =>
    options.workerMachines.find(m => m.name === name);

  const addQueue = () =>
    onChange([
      ...rows,
      {
        id: newRowId(),
        name: '',
        isDefault: rows.length === 0,
        workerSize: limits.defaultWorkerMachine,
        minWorkers: String(limits.minWorkers.default),
        maxWorkers: String(limits.maxWorkers.default),
        concurrency: '',
      },
    ]);

  return (
    <Box>
      {rows.map((row, index) => {
        const listError = errors['settings.workerQueues'];
        const path = `settings.workerQueues[${index}]`;
        const error = (field: string) => errors[`${path}.${field}`];
        const label = row.name
          ? `Worker queue ${row.name}`
          : `Worker queue ${index + 1}`;
        const defaultConcurrency =
          machine(row.workerSize)?.defaultConcurrency ??
          limits.concurrency.default;
        return (
          <fieldset key={row.id} className={classes.row} aria-label={label}>
            <legend className={classes.legend}>{label}</legend>
            <TextField
              className={classes.name}
              id={`${row.id}-name`}
              label="Queue name"
              size="small"
              variant="outlined"
              required
              value={row.name}
              error={Boolean(error('name'))}
              helperText={error('name') ?? 'Tasks choose it with queue='}
              onChange={e => update(index, { name: e.target.value })}
            />
            <TextField
              className={classes.size}
              id={`${row.id}-size`}
              select
              label="Worker type"
              size="small"
              variant="outlined"
              value={row.workerSize}
              error={Boolean(error('workerSize'))}
              SelectProps={invalidSelectProps(error('workerSize'))}
              helperText={error('workerSize')}
              onChange={e => update(index, { workerSize: e.target.value })}
            >
              {options.workerMachines.map(m => (
                <MenuItem key={m.name} value={m.name}>
                  {m.name} ({m.cpu} CPU, {m.memory} memory)
                </MenuItem>
              ))}
            </TextField>
            <TextField
              className={classes.number}
              id={`${row.id}-min`}
              label="Minimum workers"
              type="number"
              size="small"
              variant="outlined"
              value={row.minWorkers}
              inputProps={{
                min: limits.minWorkers.floor,
                max: limits.minWorkers.ceiling,
              }}
              error={Boolean(error('minWorkers'))}
              helperText={error('minWorkers') ?? rangeHelp(limits.minWorkers)}
              onChange={e => update(index, { minWorkers: e.target.value })}
            />
            <TextField
              className={classes.number}
              id={`${row.id}-max`}
              label="Maximum workers"
              type="number"
              size="small"
              variant="outlined"
              value={row.maxWorkers}
              inputProps={{
                min: limits.maxWorkers.floor,
                max: limits.maxWorkers.ceiling,
              }}
              error={Boolean(error('maxWorkers'))}
              helperText={error('maxWorkers') ?? rangeHelp(limits.maxWorkers)}
              onChange={e => update(index, { maxWorkers: e.target.value })}
            />
            <TextField
              className={classes.number}
              id={`${row.id}-concurrency`}
              label="Concurrency"
              type="number"
              size="small"
              variant="outlined"
              value={row.concurrency}
              placeholder={String(defaultConcurrency)}
              inputProps={{
                min: limits.concurrency.floor,
                max: limits.concurrency.ceiling,
              }}
              error={Boolean(error('concurrency'))}
              helperText={
                error('concurrency') ??
                `Tasks per worker; empty: ${defaultConcurrency}`
              }
              onChange={e => update(index, { concurrency: e.target.value })}
            />
            <FormControlLabel
              control={
                <Radio
                  checked={row.isDefault}
                  name="default-worker-queue"
                  inputProps={{
                    'aria-invalid': Boolean(listError),
                    'aria-describedby': listError
                      ? 'astro-worker-queues-error'
                      : undefined,
                  }}
                  onChange={() =>
                    onChange(
                      rows.map((r, i) => ({ ...r, isDefault: i === index })),
                    )
                  }
                />
              }
              label="Default queue"
            />
            <IconButton
              aria-label={`Remove ${label.toLowerCase()}`}
              disabled={rows.length <= 1}
              onClick={() => {
                const rest = rows.filter((_, i) => i !== index);
                onChange(
                  row.isDefault && rest.length > 0
                    ? rest.map((r, i) => ({ ...r, isDefault: i === 0 }))
                    : rest,
                );
              }}
            >
              <DeleteIcon />
            </IconButton>
          </fieldset>
        );
      })}
      {errors['settings.workerQueues'] && (
        <Typography
          id="astro-worker-queues-error"
          color="error"
          variant="body2"
          role="alert"
        >
          Worker queues: {errors['settings.workerQueues']}
        </Typography>
      )}
      <Button
        startIcon={<AddIcon />}
        onClick={addQueue}
        disabled={rows.length >= limits.maxQueues}
      >
        Add worker queue
      </Button>
    </Box>
  );
}
