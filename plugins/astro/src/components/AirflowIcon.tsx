import SvgIcon, { SvgIconProps } from '@material-ui/core/SvgIcon';

/** A pinwheel, the Airflow mark, drawn for the sidebar and headers. */
export const AirflowIcon = (props: SvgIconProps) => (
  <SvgIcon viewBox="0 0 24 24" {...props}>
    <path d="M12 12 4 3.5c3.5-.8 7 .8 8 8.5Zm0 0 8.5-8c.8 3.5-.8 7-8.5 8Zm0 0 8 8.5c-3.5.8-7-.8-8-8.5Zm0 0-8.5 8c-.8-3.5.8-7 8.5-8Z" />
  </SvgIcon>
);
