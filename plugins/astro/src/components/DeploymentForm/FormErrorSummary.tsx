import { forwardRef } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { describeFieldErrors } from './fieldLabels';
import { FieldErrors, SettingsFormValues } from './formModel';

/** More lines than this are counted, not listed. */
const MAX_LINES = 6;

/**
 * The alert at the top of a Deployment form after a submit that failed on
 * its fields: what needs fixing, one line per field, named by label. It
 * lists the messages of the current render, so it follows the fields as
 * they are fixed.
 */
export const FormErrorSummary = forwardRef<
  HTMLDivElement,
  {
    title: string;
    errors: FieldErrors;
    values: SettingsFormValues;
    /** What the backend said beyond the fields (a quota's breakdown). */
    note?: string;
  }
>(function ErrorSummary(props, ref) {
  const { title, errors, values, note } = props;
  const lines = describeFieldErrors(errors, values);
  const more = lines.length - MAX_LINES;
  return (
    <Box mb={2}>
      <Alert ref={ref} tabIndex={-1} severity="error" role="alert">
        <AlertTitle>{title}</AlertTitle>
        <Box component="ul" m={0} pl={2.5}>
          {lines.slice(0, more > 0 ? MAX_LINES - 1 : MAX_LINES).map(line => (
            <li key={line}>{line}</li>
          ))}
          {more > 0 && <li>and {more + 1} more, marked below</li>}
        </Box>
        {note && (
          <Typography variant="body2" style={{ marginTop: 8 }}>
            {note}
          </Typography>
        )}
      </Alert>
    </Box>
  );
});
