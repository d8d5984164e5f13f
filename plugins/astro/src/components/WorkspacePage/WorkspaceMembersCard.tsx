import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  RELATION_HAS_MEMBER,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { Workspace } from '@airflow-portal/plugin-astro-common';
import {
  CatalogEntityLink,
  CatalogEntityLinks,
} from '../common/CatalogEntityLink';

/** The members of the owning group, as the catalog knows them. */
function OwnerMembers(props: { owner: string }) {
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(async () => {
    const ref = stringifyEntityRef(
      parseEntityRef(props.owner, { defaultKind: 'group' }),
    );
    const group = await catalogApi.getEntityByRef(ref);
    return (group?.relations ?? [])
      .filter(relation => relation.type === RELATION_HAS_MEMBER)
      .map(relation => relation.targetRef);
  }, [catalogApi, props.owner]);
  if (loading) {
    return <Progress aria-label="Loading members" />;
  }
  if (error) {
    return (
      <Typography variant="body2" color="textSecondary">
        Members could not be read from the catalog: {error.message}
      </Typography>
    );
  }
  if (!value || value.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The catalog lists no members of this group.
      </Typography>
    );
  }
  return <CatalogEntityLinks entityRefs={value} defaultKind="user" />;
}

/**
 * Who owns the workspace (a catalog group) and who is in that group. Roles
 * inside the workspace follow the group's membership.
 */
export function WorkspaceMembersCard(props: { workspace: Workspace }) {
  const { owner } = props.workspace;
  return (
    <InfoCard title="Owners and members">
      <Typography variant="subtitle2" component="h3">
        Owner
      </Typography>
      {owner ? (
        <CatalogEntityLink entityRef={owner} defaultKind="group" />
      ) : (
        <Typography variant="body2">
          No owner group; organization owners manage this workspace.
        </Typography>
      )}
      {owner && (
        <>
          <Typography
            variant="subtitle2"
            component="h3"
            style={{ marginTop: 16 }}
          >
            Members
          </Typography>
          <OwnerMembers owner={owner} />
        </>
      )}
    </InfoCard>
  );
}
