import {
  Entity,
  entityKindSchemaValidator,
  KindValidator,
} from '@backstage/catalog-model';
import {
  AstroClusterEntityV1alpha1,
  AstroDeploymentEntityV1alpha1,
  AstroEntity,
  AstroOrganizationEntityV1alpha1,
  AstroWorkspaceEntityV1alpha1,
} from './types';
import {
  astroClusterEntitySchema,
  astroDeploymentEntitySchema,
  AstroEntityJsonSchema,
  astroOrganizationEntitySchema,
  astroWorkspaceEntitySchema,
} from './schemas';
import { getAstroEntityRelations } from './relations';

/**
 * Validates the schema and the refs of one kind. Returns the entity when it
 * is of the kind and valid, `false` when it is of another kind or
 * apiVersion, and throws a `TypeError` naming the offending path otherwise.
 */
function createValidator<T extends AstroEntity>(
  schema: AstroEntityJsonSchema,
): (data: unknown) => T | false {
  // Compiled on first use: the frontend imports this package too.
  let validateSchema: ((data: unknown) => T | false) | undefined;
  return data => {
    validateSchema ??= entityKindSchemaValidator<T>(schema);
    const entity = validateSchema(data);
    if (entity) {
      getAstroEntityRelations(entity);
    }
    return entity;
  };
}

function kindValidator(validate: (data: unknown) => unknown): KindValidator {
  return {
    async check(entity: Entity) {
      return validate(entity) !== false;
    },
  };
}

const validateOrganization = createValidator<AstroOrganizationEntityV1alpha1>(
  astroOrganizationEntitySchema,
);
const validateWorkspace = createValidator<AstroWorkspaceEntityV1alpha1>(
  astroWorkspaceEntitySchema,
);
const validateDeployment = createValidator<AstroDeploymentEntityV1alpha1>(
  astroDeploymentEntitySchema,
);
const validateCluster = createValidator<AstroClusterEntityV1alpha1>(
  astroClusterEntitySchema,
);

/**
 * {@link @backstage/catalog-model#KindValidator} for `AstroOrganization`.
 *
 * @public
 */
export const astroOrganizationEntityV1alpha1Validator =
  kindValidator(validateOrganization);

/**
 * {@link @backstage/catalog-model#KindValidator} for `AstroWorkspace`.
 *
 * @public
 */
export const astroWorkspaceEntityV1alpha1Validator =
  kindValidator(validateWorkspace);

/**
 * {@link @backstage/catalog-model#KindValidator} for `AstroDeployment`.
 *
 * @public
 */
export const astroDeploymentEntityV1alpha1Validator =
  kindValidator(validateDeployment);

/**
 * {@link @backstage/catalog-model#KindValidator} for `AstroCluster`.
 *
 * @public
 */
export const astroClusterEntityV1alpha1Validator =
  kindValidator(validateCluster);

/**
 * Validates an entity of any Astro kind against its schema and checks its
 * refs. Returns the typed entity, `false` when it is not of an Astro kind
 * and apiVersion, and throws a `TypeError` whose message starts with the
 * offending path (e.g. `/spec/settings/executor must be equal to one of the
 * allowed values`) when it is malformed.
 *
 * @public
 */
export function validateAstroEntity(data: unknown): AstroEntity | false {
  for (const validate of [
    validateOrganization,
    validateWorkspace,
    validateDeployment,
    validateCluster,
  ]) {
    const entity = validate(data);
    if (entity) {
      return entity;
    }
  }
  return false;
}

function hasKind(entity: Entity, kind: string) {
  return (
    entity.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US')
  );
}

/**
 * Whether an entity is an `AstroOrganization`.
 *
 * @public
 */
export function isAstroOrganizationEntity(
  entity: Entity,
): entity is AstroOrganizationEntityV1alpha1 {
  return hasKind(entity, 'AstroOrganization');
}

/**
 * Whether an entity is an `AstroWorkspace`.
 *
 * @public
 */
export function isAstroWorkspaceEntity(
  entity: Entity,
): entity is AstroWorkspaceEntityV1alpha1 {
  return hasKind(entity, 'AstroWorkspace');
}

/**
 * Whether an entity is an `AstroDeployment`.
 *
 * @public
 */
export function isAstroDeploymentEntity(
  entity: Entity,
): entity is AstroDeploymentEntityV1alpha1 {
  return hasKind(entity, 'AstroDeployment');
}

/**
 * Whether an entity is an `AstroCluster`.
 *
 * @public
 */
export function isAstroClusterEntity(
  entity: Entity,
): entity is AstroClusterEntityV1alpha1 {
  return hasKind(entity, 'AstroCluster');
}
