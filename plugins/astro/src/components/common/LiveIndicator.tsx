import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  live: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    marginLeft: theme.spacing(1.5),
    color: theme.palette.text.secondary,
  },
  dot: {
    width: 8,
    height: 8,
    borderRadius: '50%',
    backgroundColor: theme.palette.success.main,
  },
}));

/**
 * Says that the page follows changes as they happen (signals arrive), so
 * that nobody reloads it to be sure. Shows nothing while the page polls.
 */
export function LiveIndicator(props: { live: boolean }) {
  const classes = useStyles();
  if (!props.live) {
    return null;
  }
  return (
    <Tooltip title="Status changes and incidents appear as they happen">
      <Typography
        variant="caption"
        className={classes.live}
        data-testid="live-updates"
      >
        <span className={classes.dot} aria-hidden />
        Live
      </Typography>
    </Tooltip>
  );
}
