import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { assertError, InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  ASTRO_ENTITY_API_VERSION,
  ASTRO_ENTITY_KINDS,
  getAstroEntityRelations,
  validateAstroEntity,
} from '@airflow-portal/plugin-astro-common';

const ASTRO_KINDS = new Set<string>(Object.values(ASTRO_ENTITY_KINDS));

function entityLabel(entity: Entity) {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return entity.kind;
  }
}

/**
 * Validates the Astro entity kinds (`AstroOrganization`, `AstroWorkspace`,
 * `AstroDeployment`, `AstroCluster`) against their JSON schemas and emits
 * both directions of their relations.
 *
 * A malformed Astro entity is rejected with an `InputError` naming the
 * offending field path, which the catalog shows as the entity's processing
 * error.
 *
 * @public
 */
export class AstroEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AstroEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!ASTRO_KINDS.has(entity.kind)) {
      return false;
    }
    if (entity.apiVersion !== ASTRO_ENTITY_API_VERSION) {
      throw new InputError(
        `Invalid ${entity.kind} ${entityLabel(
          entity,
        )}: /apiVersion must be ${ASTRO_ENTITY_API_VERSION}, not ${JSON.stringify(
          entity.apiVersion,
        )}`,
      );
    }
    try {
      return validateAstroEntity(entity) !== false;
    } catch (error) {
      assertError(error);
      throw new InputError(
        `Invalid ${entity.kind} ${entityLabel(entity)}: ${error.message}`,
      );
    }
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!ASTRO_KINDS.has(entity.kind)) {
      return entity;
    }
    // Validated before post-processing; validating again types it.
    const astroEntity = validateAstroEntity(entity);
    if (astroEntity) {
      for (const relation of getAstroEntityRelations(astroEntity)) {
        emit(processingResult.relation(relation));
      }
    }
    return entity;
  }
}
