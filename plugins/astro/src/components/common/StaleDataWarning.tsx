import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { messageOf, statusOf } from './errors';

/**
 * Says that a refresh failed while older data is still shown, e.g. while
 * the backend restarts.
 */
export function StaleDataWarning(props: { error: Error }) {
  const status = statusOf(props.error);
  const reason =
    status === undefined
      ? 'the Airflow backend could not be reached'
      : messageOf(props.error);
  return (
    <Box mb={2}>
      <Alert severity="warning">
        Could not refresh ({reason}); showing what was last read. Trying again
        shortly.
      </Alert>
    </Box>
  );
}
