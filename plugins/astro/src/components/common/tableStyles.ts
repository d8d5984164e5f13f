import { makeStyles } from '@material-ui/core/styles';

/**
 * Styles of the plain Deployments tables (the home's and the workspace
 * page's): uppercase caption headers, cells aligned to the top.
 */
export const useDeploymentTableStyles = makeStyles(theme => ({
  head: {
    whiteSpace: 'nowrap',
    textTransform: 'uppercase',
    fontSize: theme.typography.caption.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
    color: theme.palette.text.secondary,
  },
  cell: { verticalAlign: 'top' },
  nowrap: { whiteSpace: 'nowrap' },
}));
