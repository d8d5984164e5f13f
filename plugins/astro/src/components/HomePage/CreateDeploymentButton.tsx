import { useCallback, useEffect, useMemo, useState } from 'react';
import { LinkButton } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import AddIcon from '@material-ui/icons/Add';
import { Link as RouterLink } from 'react-router-dom';
import { astroDeploymentCreatePermission } from '@airflow-portal/plugin-astro-common';
import { useAstroLinks } from '../../hooks/useAstroLinks';
import {
  useAstroPermission,
  workspaceResourceRef,
} from '../../hooks/useAstroPermission';
import { OrganizationWorkspaces } from '../../hooks/useOrganizationWorkspaces';
import { workspaceLabel } from './labels';

interface Target {
  organization: string;
  workspace: string;
  label: string;
}

const keyOf = (t: Target) => `${t.organization}/${t.workspace}`;

/**
 * Asks whether the user may create Deployments in one workspace and reports
 * the answer (Backstage's permission client batches and caches the
 * questions of all probes).
 */
function CreatePermissionProbe(props: {
  target: Target;
  onAnswer: (key: string, allowed: boolean) => void;
}) {
  const { target, onAnswer } = props;
  const { allowed, loading } = useAstroPermission(
    astroDeploymentCreatePermission,
    workspaceResourceRef(target.organization, target.workspace),
  );
  useEffect(() => {
    if (!loading) {
      onAnswer(keyOf(target), allowed);
    }
  }, [allowed, loading, onAnswer, target]);
  return null;
}

/**
 * "Create Deployment": straight to the form when there is one workspace to
 * create in, a menu of "Organization / Workspace" otherwise, and nothing
 * when the user may create in none.
 */
export function CreateDeploymentButton(props: {
  offered: OrganizationWorkspaces[];
}) {
  const links = useAstroLinks();
  const targets = useMemo(
    () =>
      props.offered.flatMap(({ organization, workspaces }) =>
        workspaces.map(workspace => ({
          organization: organization.name,
          workspace: workspace.name,
          label: workspaceLabel(organization, workspace),
        })),
      ),
    [props.offered],
  );
  const [allowed, setAllowed] = useState<ReadonlySet<string>>(new Set());
  const onAnswer = useCallback(
    (key: string, yes: boolean) =>
      setAllowed(current => {
        if (current.has(key) === yes) {
          return current;
        }
        const next = new Set(current);
        if (yes) {
          next.add(key);
        } else {
          next.delete(key);
        }
        return next;
      }),
    [],
  );
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const withLinks = targets.flatMap(t => {
    const to = links.createDeployment(t.organization, t.workspace);
    return to && allowed.has(keyOf(t)) ? [{ ...t, to }] : [];
  });
  const probes = targets.map(t => (
    <CreatePermissionProbe key={keyOf(t)} target={t} onAnswer={onAnswer} />
  ));
  if (withLinks.length === 0) {
    return <>{probes}</>;
  }
  if (withLinks.length === 1) {
    return (
      <>
        {probes}
        <LinkButton
          to={withLinks[0].to}
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
        >
          Create Deployment
        </LinkButton>
      </>
    );
  }
  return (
    <>
      {probes}
      <Button
        variant="contained"
        color="primary"
        startIcon={<AddIcon />}
        aria-haspopup="true"
        aria-controls="astro-create-deployment-menu"
        onClick={e => setAnchor(e.currentTarget)}
      >
        Create Deployment
      </Button>
      <Menu
        id="astro-create-deployment-menu"
        anchorEl={anchor}
        keepMounted
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
        getContentAnchorEl={null}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
      >
        {withLinks.map(t => (
          <MenuItem
            key={`${t.organization}/${t.workspace}`}
            component={RouterLink}
            to={t.to}
          >
            in {t.label}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
