import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import LockIcon from '@material-ui/icons/Lock';
import {
  FieldErrors,
  VariableRow,
  newRowId,
} from '../DeploymentForm/formModel';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    border: 0,
    margin: 0,
    padding: theme.spacing(1, 0),
    minWidth: 0,
  },
  legend: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
  },
  key: { flex: '1 1 220px' },
  value: { flex: '2 1 280px' },
  secret: { paddingTop: theme.spacing(1) },
}));

/**
 * Edits environment variables as rows of key, value and a secret switch.
 * Secret values are write-only: a stored secret shows no value, and leaving
 * its field empty keeps the value the backend holds.
 */
export function EnvironmentVariablesEditor(props: {
  rows: VariableRow[];
  onChange: (rows: VariableRow[]) => void;
  errors: FieldErrors;
  /** Where the rows' messages are, e.g. `settings.environmentVariables`. */
  pathPrefix: string;
  maxVariables?: number;
  disabled?: boolean;
}) {
  const classes = useStyles();
  const { rows, onChange, errors, pathPrefix, maxVariables, disabled } = props;
  const update = (index: number, change: Partial<VariableRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const listError = errors[pathPrefix];

  return (
    <Box>
      {rows.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No environment variables.
        </Typography>
      )}
      {rows.map((row, index) => {
        const path = `${pathPrefix}[${index}]`;
        const keyError = errors[`${path}.key`];
        const valueError = errors[`${path}.value`];
        let valueHelp: string | undefined = valueError;
        if (!valueHelp && row.secret) {
          valueHelp = row.stored
            ? 'Stored secret, never shown. Leave empty to keep the current value.'
            : 'Secret: write-only once saved.';
        }
        return (
          <fieldset
            key={row.id}
            className={classes.row}
            aria-label={`Variable ${index + 1}`}
          >
            <legend className={classes.legend}>Variable {index + 1}</legend>
            <TextField
              className={classes.key}
              id={`${row.id}-key`}
              label="Key"
              size="small"
              variant="outlined"
              value={row.key}
              disabled={disabled}
              error={Boolean(keyError)}
              helperText={keyError}
              onChange={e => update(index, { key: e.target.value })}
            />
            <TextField
              className={classes.value}
              id={`${row.id}-value`}
              label="Value"
              size="small"
              variant="outlined"
              type={row.secret ? 'password' : 'text'}
              autoComplete={row.secret ? 'new-password' : 'off'}
              placeholder={row.stored ? '•••••••• (keep current value)' : ''}
              value={row.value}
              disabled={disabled}
              error={Boolean(valueError)}
              helperText={valueHelp}
              InputProps={{
                startAdornment: row.secret ? (
                  <LockIcon fontSize="small" aria-hidden />
                ) : undefined,
              }}
              onChange={e => update(index, { value: e.target.value })}
            />
            <FormControlLabel
              className={classes.secret}
              control={
                <Checkbox
                  checked={row.secret}
                  disabled={disabled}
                  onChange={e =>
                    update(index, {
                      secret: e.target.checked,
                      // A stored secret turned plain needs its value typed again.
                      stored: e.target.checked ? row.stored : false,
                    })
                  }
                />
              }
              label="Secret"
            />
            <IconButton
              aria-label={`Remove variable ${row.key || index + 1}`}
              disabled={disabled}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              <DeleteIcon />
            </IconButton>
          </fieldset>
        );
      })}
      {listError && (
        <Typography color="error" variant="body2" role="alert">
          {listError}
        </Typography>
      )}
      <Button
        startIcon={<AddIcon />}
        disabled={
          disabled ||
          (maxVariables !== undefined && rows.length >= maxVariables)
        }
        onClick={() =>
          onChange([
            ...rows,
            {
              id: newRowId(),
              key: '',
              value: '',
              secret: false,
              stored: false,
            },
          ])
        }
      >
        Add variable
      </Button>
    </Box>
  );
}
