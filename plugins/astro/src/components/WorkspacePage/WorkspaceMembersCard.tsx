import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Workspace } from '@airflow-portal/plugin-astro-common';
import { RoleBindingsCard } from '../Access';
import { CatalogEntityLink } from '../common/CatalogEntityLink';

/**
 * The members of a workspace: the users and groups holding a workspace
 * role on it (added and removed by those who may manage its roles), and
 * the group that owns it in the catalog.
 */
export function WorkspaceMembersCard(props: { workspace: Workspace }) {
  const { workspace } = props;
  return (
    <RoleBindingsCard
      scope={{
        kind: 'workspace',
        organization: workspace.organization,
        workspace: workspace.name,
      }}
      footer={
        <Box mt={2}>
          <Typography variant="body2" color="textSecondary">
            Owner in the catalog:{' '}
            {workspace.owner ? (
              <CatalogEntityLink
                entityRef={workspace.owner}
                defaultKind="group"
              />
            ) : (
              'none'
            )}
          </Typography>
        </Box>
      }
    />
  );
}
