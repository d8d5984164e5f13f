import { Content, ContentHeader } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

/** The Airflow overview page: organizations, workspaces and health. */
export const OverviewPage = () => (
  <Content>
    <ContentHeader title="Airflow Deployments" />
    <Typography variant="body1">
      Create and operate Apache Airflow environments on your registered
      Kubernetes clusters.
    </Typography>
  </Content>
);
