import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  MyPermissions,
  RoleBinding,
} from '@airflow-portal/plugin-astro-common';
import { astroApiRef } from '../../api';
import { AstroErrorPanel } from '../common/AstroErrorPanel';
import { CatalogEntityLink } from '../common/CatalogEntityLink';
import {
  AccessScope,
  ROLE_TEXT,
  myPermissionsResourceOf,
  roleLabel,
  scopeKindText,
  scopeText,
} from './model';

function RoleLine(props: { binding: RoleBinding; me: string }) {
  const { binding, me } = props;
  const viaGroup = binding.principal !== me;
  return (
    <ListItem disableGutters dense>
      <ListItemText
        primary={
          <>
            <strong>{roleLabel(binding.role)}</strong> on {scopeText(binding)}
            {viaGroup && (
              <>
                {' '}
                through{' '}
                <CatalogEntityLink
                  entityRef={binding.principal}
                  defaultKind="group"
                />
              </>
            )}
          </>
        }
        secondary={
          ROLE_TEXT[binding.role as keyof typeof ROLE_TEXT]?.description
        }
      />
    </ListItem>
  );
}

function AccessSummary(props: { mine: MyPermissions; what: string }) {
  const { mine, what } = props;
  const roles = mine.roles ?? [];
  return (
    <>
      {mine.platformAdmin && (
        <Typography variant="body2" paragraph>
          You are a platform administrator (<code>astro.bootstrapOwners</code>
          ): you may do everything.
        </Typography>
      )}
      {roles.length === 0 && !mine.platformAdmin && (
        <Typography variant="body2" paragraph>
          You hold no role that applies to this {what}.
        </Typography>
      )}
      {roles.length > 0 && (
        <List dense disablePadding aria-label="Your roles">
          {roles.map(binding => (
            <RoleLine
              key={`${binding.principal} ${binding.role} ${scopeText(binding)}`}
              binding={binding}
              me={mine.principal}
            />
          ))}
        </List>
      )}
      {mine.allowed && mine.allowed.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          Allowed here: {mine.allowed.join(', ')}
        </Typography>
      )}
    </>
  );
}

/**
 * What the signed-in user may do on an organization, a workspace or a
 * Deployment, and why: the role bindings that apply to it (on it or on
 * what contains it, their own or through a group) and whether they are a
 * platform administrator, as `GET /me/permissions` tells.
 */
export function YourAccessCard(props: { scope: AccessScope }) {
  const { scope } = props;
  const astroApi = useApi(astroApiRef);
  const resource = myPermissionsResourceOf(scope);
  const mine = useAsyncRetry(
    () => astroApi.getMyPermissions({ query: { resource } }),
    [astroApi, resource],
  );
  const what = scopeKindText(scope.kind);
  let body;
  if (mine.error) {
    body = (
      <AstroErrorPanel
        error={mine.error}
        what="your access"
        onRetry={mine.retry}
      />
    );
  } else if (!mine.value) {
    body = <Progress aria-label="Loading your access" />;
  } else {
    body = <AccessSummary mine={mine.value} what={what} />;
  }
  return <InfoCard title="Your access">{body}</InfoCard>;
}
