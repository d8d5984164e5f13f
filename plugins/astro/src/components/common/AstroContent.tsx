import { ReactNode } from 'react';
import { Content, ContentHeader, Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Breadcrumbs from '@material-ui/core/Breadcrumbs';
import Typography from '@material-ui/core/Typography';

/** A step of the breadcrumb trail; the last one is the current page. */
export interface Crumb {
  label: string;
  href?: string;
}

/**
 * The body of an Airflow page: breadcrumbs, the page's heading with its
 * actions, and the content. The trail is Material UI's: Backstage's own
 * folds everything between the second and the last step behind "...",
 * which would hide the workspace of a Deployment.
 */
export function AstroContent(props: {
  title: string;
  /** Shown next to the title, e.g. the status. */
  titleAddon?: ReactNode;
  description?: string;
  breadcrumbs?: Crumb[];
  actions?: ReactNode;
  children?: ReactNode;
}) {
  const { title, titleAddon, description, breadcrumbs, actions, children } =
    props;
  return (
    <Content>
      {breadcrumbs && breadcrumbs.length > 0 && (
        <Breadcrumbs aria-label="breadcrumbs">
          {/* Labels can repeat (an organization and its workspace may share
              a name), so the position is the key. */}
          {breadcrumbs.map((crumb, index) =>
            crumb.href ? (
              <Link key={index} to={crumb.href}>
                {crumb.label}
              </Link>
            ) : (
              <Typography key={index} color="textPrimary">
                {crumb.label}
              </Typography>
            ),
          )}
        </Breadcrumbs>
      )}
      <ContentHeader
        title={title}
        description={description}
        titleComponent={
          titleAddon ? (
            <Box display="flex" alignItems="center" flexWrap="wrap">
              <Box mr={2}>
                <Typography variant="h4" component="h2">
                  {title}
                </Typography>
              </Box>
              {titleAddon}
            </Box>
          ) : undefined
        }
      >
        {actions}
      </ContentHeader>
      {children}
    </Content>
  );
}
