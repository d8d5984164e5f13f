import Typography from '@material-ui/core/Typography';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { statusOf } from '../common/errors';

/**
 * The error state of a monitoring card. A 404 from a monitoring endpoint
 * means the backend does not observe this yet (an older backend, or a
 * Deployment the monitor has not seen); that is said plainly instead of as
 * a failure.
 */
export function MonitoringError(props: {
  error: Error;
  what: string;
  onRetry?: () => void;
}) {
  if (statusOf(props.error) === 404) {
    return (
      <Typography variant="body2" color="textSecondary">
        No {props.what} reported yet: the backend has not observed this
        Deployment&apos;s {props.what}, or does not monitor them.
      </Typography>
    );
  }
  return (
    <AstroErrorPanel
      error={props.error}
      what={`the ${props.what}`}
      onRetry={props.onRetry}
    />
  );
}
