import { ReactNode } from 'react';
import {
  ErrorPanel,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { ResponseError } from '@backstage/errors';
import { messageOf, statusOf } from './errors';

function isUnreachable(error: Error) {
  return error.name === 'TypeError' || /fetch|network/i.test(error.message);
}

function ErrorDisplay(props: { error: Error; what: string }) {
  const { error, what } = props;
  const status = statusOf(error);
  if (status === 403) {
    return (
      <WarningPanel
        severity="warning"
        title={`You are not allowed to see ${what}`}
        message={`${messageOf(
          error,
        )}. Ask an owner of the organization or workspace for access.`}
        defaultExpanded
      />
    );
  }
  if (status === 404) {
    return (
      <WarningPanel
        severity="info"
        title={`Could not find ${what}`}
        message={messageOf(error)}
        defaultExpanded
      />
    );
  }
  if (ResponseError.is(error)) {
    return (
      <ResponseErrorPanel
        error={error}
        title={`Could not load ${what}: ${messageOf(error)}`}
      />
    );
  }
  return (
    <ErrorPanel
      error={error}
      title={
        isUnreachable(error)
          ? `Could not load ${what}: the Airflow backend could not be reached`
          : `Could not load ${what}: ${error.message}`
      }
    />
  );
}

/**
 * Explains why data could not be loaded: no permission (403), not found
 * (404), an unreachable backend, or any other error with its details. Offers
 * to try again when given `onRetry`.
 */
export function AstroErrorPanel(props: {
  error: Error;
  /** What was being loaded, e.g. "the Deployment"; used in titles. */
  what?: string;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  const { error, what = 'this', onRetry, children } = props;
  return (
    <Box>
      <ErrorDisplay error={error} what={what} />
      {(onRetry || children) && (
        <Box mt={1} display="flex" gridGap={8}>
          {onRetry && statusOf(error) !== 403 && (
            <Button variant="outlined" size="small" onClick={onRetry}>
              Try again
            </Button>
          )}
          {children}
        </Box>
      )}
    </Box>
  );
}
