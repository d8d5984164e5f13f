import {
  CompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  ASTRO_CLUSTER_ENTITY_NAMESPACE,
  ASTRO_ENTITY_KINDS,
  ASTRO_OWNER_DEFAULT_NAMESPACE,
} from './constants';
import { AstroEntity } from './types';

/**
 * A relation between two entities, as a catalog processor emits it.
 *
 * @public
 */
export interface AstroEntityRelation {
  source: CompoundEntityRef;
  type: string;
  target: CompoundEntityRef;
}

function sameKind(a: string, b: string) {
  return a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');
}

/**
 * Resolves the ref in a spec field, rejecting a ref to a kind the field does
 * not allow. Errors name the field path, e.g. `/spec/workspace`.
 */
function resolveRef(
  path: string,
  ref: string,
  options: {
    defaultKind: string;
    defaultNamespace: string;
    allowedKinds: string[];
    /** A ref without namespace resolves in the namespace named after it. */
    namespaceFromName?: boolean;
  },
): CompoundEntityRef {
  let parsed: CompoundEntityRef;
  try {
    parsed = parseEntityRef(ref, {
      defaultKind: options.defaultKind,
      defaultNamespace: options.defaultNamespace,
    });
  } catch (error) {
    throw new TypeError(
      `${path} is not a valid entity ref: ${(error as Error).message}`,
    );
  }
  if (!options.allowedKinds.some(kind => sameKind(kind, parsed.kind))) {
    throw new TypeError(
      `${path} must refer to ${options.allowedKinds.join(
        ' or ',
      )}, not ${JSON.stringify(ref)}`,
    );
  }
  const hasNamespace = ref.includes('/');
  if (options.namespaceFromName && !hasNamespace) {
    return { ...parsed, namespace: parsed.name };
  }
  return parsed;
}

function refOfEntity(entity: AstroEntity): CompoundEntityRef {
  return {
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
}

/**
 * Resolves the organization ref of a spec: kind AstroOrganization, and a
 * ref without namespace resolves in the namespace named after the
 * organization.
 *
 * @public
 */
export function resolveAstroOrganizationRef(
  ref: string,
  path: string = '/spec/organization',
): CompoundEntityRef {
  return resolveRef(path, ref, {
    defaultKind: ASTRO_ENTITY_KINDS.organization,
    defaultNamespace: ASTRO_CLUSTER_ENTITY_NAMESPACE,
    allowedKinds: [ASTRO_ENTITY_KINDS.organization],
    namespaceFromName: true,
  });
}

/**
 * Every relation an Astro entity implies, in both directions: deployment
 * `partOf` workspace `partOf` organization (`hasPart` back), deployment
 * `dependsOn` its cluster (`dependencyOf` back), and `ownedBy` the owner
 * (`ownerOf` back).
 *
 * Throws a `TypeError` naming the field path when a ref is malformed or
 * refers to a kind the field does not allow.
 *
 * @public
 */
export function getAstroEntityRelations(
  entity: AstroEntity,
): AstroEntityRelation[] {
  const self = refOfEntity(entity);
  const relations: AstroEntityRelation[] = [];
  const both = (
    target: CompoundEntityRef,
    forward: string,
    backward: string,
  ) => {
    relations.push({ source: self, type: forward, target });
    relations.push({ source: target, type: backward, target: self });
  };

  if (entity.spec.owner !== undefined) {
    const owner = resolveRef('/spec/owner', entity.spec.owner, {
      defaultKind: 'Group',
      defaultNamespace: ASTRO_OWNER_DEFAULT_NAMESPACE,
      allowedKinds: ['Group', 'User'],
    });
    both(owner, RELATION_OWNED_BY, RELATION_OWNER_OF);
  }

  switch (entity.kind) {
    case 'AstroWorkspace':
      both(
        resolveAstroOrganizationRef(entity.spec.organization),
        RELATION_PART_OF,
        RELATION_HAS_PART,
      );
      break;
    case 'AstroDeployment': {
      resolveAstroOrganizationRef(entity.spec.organization);
      const workspace = resolveRef('/spec/workspace', entity.spec.workspace, {
        defaultKind: ASTRO_ENTITY_KINDS.workspace,
        defaultNamespace: self.namespace,
        allowedKinds: [ASTRO_ENTITY_KINDS.workspace],
      });
      both(workspace, RELATION_PART_OF, RELATION_HAS_PART);
      const cluster = resolveRef('/spec/cluster', entity.spec.cluster, {
        defaultKind: ASTRO_ENTITY_KINDS.cluster,
        defaultNamespace: ASTRO_CLUSTER_ENTITY_NAMESPACE,
        allowedKinds: [ASTRO_ENTITY_KINDS.cluster],
      });
      both(cluster, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
      break;
    }
    case 'AstroCluster':
      if (entity.spec.organization !== undefined) {
        resolveAstroOrganizationRef(entity.spec.organization);
      }
      break;
    default:
      break;
  }
  return relations;
}
