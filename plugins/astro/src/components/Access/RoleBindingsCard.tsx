import { ReactNode, useMemo, useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { RoleBinding } from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { useAstroPermission } from '../../hooks/useAstroPermission';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { CatalogEntityLink } from '../common/CatalogEntityLink';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { RelativeTime } from '../common/RelativeTime';
import { actorName } from '../common/format';
import { AddRoleBindingDialog } from './AddRoleBindingDialog';
import {
  AccessScope,
  ROLE_TEXT,
  resourceRefOf,
  roleLabel,
  rolesManagePermissionOf,
  scopeKindText,
  scopedRolesApi,
} from './model';

function principalKind(ref: string): string {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
  } catch {
    return 'user';
  }
}

/** A user or group of a binding: its kind and a link to its catalog page. */
export function PrincipalName(props: { principal: string }) {
  const kind = principalKind(props.principal);
  return (
    <>
      {kind === 'group' ? 'Group ' : ''}
      <CatalogEntityLink entityRef={props.principal} defaultKind={kind} />
    </>
  );
}

/**
 * The role bindings of an organization, a workspace or a Deployment: who
 * (a user or a group of the catalog) holds which role there, who granted
 * it and when. Those who hold `astro.<scope>.roles.manage` on it add and
 * remove bindings; others only read them.
 */
export function RoleBindingsCard(props: {
  scope: AccessScope;
  /** Defaults to "Members" ("Access" for a Deployment). */
  title?: string;
  /** Shown below the bindings. */
  footer?: ReactNode;
}) {
  const { scope, footer } = props;
  const title =
    props.title ?? (scope.kind === 'deployment' ? 'Access' : 'Members');
  const astroApi = useApi(astroApiRef);
  const roles = useMemo(
    () => scopedRolesApi(astroApi, scope),
    // A scope is compared by what it names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [astroApi, JSON.stringify(scope)],
  );
  const { allowed: canManage } = useAstroPermission(
    rolesManagePermissionOf(scope),
    resourceRefOf(scope),
  );
  const list = useAsyncRetry(() => roles.list(), [roles]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<RoleBinding>();
  const where = `${scopeKindText(scope.kind)} ${resourceRefOf(scope)}`;

  let body;
  if (list.error) {
    body = (
      <AstroErrorPanel
        error={list.error}
        what={`the members of ${where}`}
        onRetry={list.retry}
      />
    );
  } else if (!list.value) {
    body = <Progress aria-label="Loading the role bindings" />;
  } else if (list.value.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        Nobody holds a role on this {scopeKindText(scope.kind)} itself; roles on
        what contains it still apply.
      </Typography>
    );
  } else {
    body = (
      <Box overflow="auto">
        <Table size="small" aria-label={`Role bindings of ${where}`}>
          <TableHead>
            <TableRow>
              <TableCell>User or group</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Granted</TableCell>
              {canManage && <TableCell>Actions</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {list.value.map(binding => (
              <TableRow key={binding.principal}>
                <TableCell>
                  <PrincipalName principal={binding.principal} />
                  <Typography
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    {binding.principal}
                  </Typography>
                </TableCell>
                <TableCell>
                  <span
                    title={
                      ROLE_TEXT[binding.role as keyof typeof ROLE_TEXT]
                        ?.description
                    }
                  >
                    {roleLabel(binding.role)}
                  </span>
                </TableCell>
                <TableCell>
                  <RelativeTime timestamp={binding.createdAt} />
                  <Typography
                    variant="caption"
                    component="div"
                    color="textSecondary"
                  >
                    by {actorName(binding.createdBy)}
                  </Typography>
                </TableCell>
                {canManage && (
                  <TableCell>
                    <Button
                      size="small"
                      color="secondary"
                      aria-label={`Remove ${binding.principal}`}
                      onClick={() => setRemoving(binding)}
                    >
                      Remove
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  return (
    <InfoCard
      title={title}
      subheader={`Who holds a role on ${where}`}
      action={
        canManage ? (
          <Box mt={1} mr={1}>
            <Button
              variant="outlined"
              size="small"
              startIcon={<AddIcon />}
              onClick={() => setAdding(true)}
            >
              Add member
            </Button>
          </Box>
        ) : undefined
      }
    >
      {body}
      {footer}
      {canManage && (
        <AddRoleBindingDialog
          scope={scope}
          roles={roles}
          open={adding}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            list.retry();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          open
          title={`Remove ${removing.principal}?`}
          confirmLabel="Remove"
          busyLabel="Removing…"
          failure="The role was not removed"
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            await roles.remove(removing.principal);
            setRemoving(undefined);
            list.retry();
          }}
        >
          {removing.principal} loses the role {roleLabel(removing.role)} on{' '}
          {where}. Roles it holds elsewhere, and roles of groups it belongs to,
          still apply.
        </ConfirmDialog>
      )}
    </InfoCard>
  );
}
