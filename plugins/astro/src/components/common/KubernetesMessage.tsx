import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  describeKubernetesReason,
  splitComponentReason,
} from './kubernetesReasons';

/** Longer raw texts are clamped until "Show all". */
const LONG = 140;

const useStyles = makeStyles(theme => ({
  text: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
  clamped: {
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  raw: {
    fontFamily: theme.typography.fontFamily,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    marginTop: theme.spacing(0.5),
    padding: theme.spacing(0.5, 1),
    background: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
  },
  toggle: { marginLeft: theme.spacing(0.5), verticalAlign: 'baseline' },
}));

/**
 * A message from Kubernetes that never breaks a layout: a sentence for
 * reasons it knows, with Kubernetes' own text behind "Details"; other
 * texts wrap anywhere and long ones are clamped to two lines until
 * "Show all".
 */
export function KubernetesMessage(props: {
  text: string;
  /** Typography variant of the text. */
  variant?: 'body2' | 'caption';
}) {
  const { text, variant = 'caption' } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const { component, reason } = splitComponentReason(text);
  const sentence = describeKubernetesReason(reason);
  const toggle = (label: string) => (
    <Link
      component="button"
      variant={variant}
      className={classes.toggle}
      aria-expanded={open}
      onClick={() => setOpen(o => !o)}
    >
      {open ? 'Hide' : label}
    </Link>
  );

  if (sentence) {
    return (
      <Box className={classes.text}>
        <Typography variant={variant} color="textSecondary" component="span">
          {component ? `${component}: ${sentence}` : sentence}
        </Typography>
        {toggle('Details')}
        {open && (
          <Typography
            variant={variant}
            component="div"
            className={classes.raw}
            data-testid="kubernetes-raw-message"
          >
            {text}
          </Typography>
        )}
      </Box>
    );
  }
  const long = text.length > LONG;
  return (
    <Box className={classes.text}>
      <Typography
        variant={variant}
        color="textSecondary"
        component="span"
        className={long && !open ? classes.clamped : undefined}
      >
        {text}
      </Typography>
      {long && toggle('Show all')}
    </Box>
  );
}
