import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { FieldChange } from './diff';

/** Changes to a Deployment, one row per setting: now, and after. */
export function ChangesTable(props: {
  changes: FieldChange[];
  /** Heading of the new values' column, e.g. "After saving". */
  afterLabel: string;
}) {
  const { changes, afterLabel } = props;
  return (
    <Table size="small" aria-label="Changes">
      <TableHead>
        <TableRow>
          <TableCell>Setting</TableCell>
          <TableCell>Now</TableCell>
          <TableCell>{afterLabel}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map(change => (
          <TableRow key={change.field}>
            <TableCell component="th" scope="row">
              {change.field}
            </TableCell>
            <TableCell>
              {change.before === undefined ? (
                <em>not set</em>
              ) : (
                <del>{change.before}</del>
              )}
            </TableCell>
            <TableCell>
              {change.after === undefined ? (
                <em>removed</em>
              ) : (
                <ins>{change.after}</ins>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
