import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
    color: '#ffffff',
  },
  mark: {
    width: 32,
    height: 32,
    flex: '0 0 auto',
  },
  name: {
    fontSize: 19,
    fontWeight: 700,
    letterSpacing: 0.2,
    lineHeight: 1.1,
    whiteSpace: 'nowrap',
  },
});

/** The portal's mark: an Airflow pinwheel on a round badge. */
function PortalMark(props: { className: string }) {
  return (
    <svg
      className={props.className}
      viewBox="0 0 32 32"
      role="img"
      aria-hidden="true"
      xmlns="http://www.w3.org/2000/svg"
    >
      <circle cx="16" cy="16" r="16" fill="#017cee" />
      <g transform="translate(4 4)">
        <path
          fill="#ffffff"
          d="M12 12 4 3.5c3.5-.8 7 .8 8 8.5Zm0 0 8.5-8c.8 3.5-.8 7-8.5 8Zm0 0 8 8.5c-3.5.8-7-.8-8-8.5Zm0 0-8.5 8c-.8-3.5.8-7 8.5-8Z"
        />
      </g>
    </svg>
  );
}

/**
 * The portal's brand in the sidebar: the mark alone when the sidebar is
 * closed, the mark and "Airflow Portal" when it is open.
 */
export function PortalLogo(props: { withName: boolean }) {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <PortalMark className={classes.mark} />
      {props.withName && <span className={classes.name}>Airflow Portal</span>}
    </span>
  );
}
