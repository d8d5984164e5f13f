import { Entity } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';

const ASTRO_KINDS = new Set([
  'astroorganization',
  'astroworkspace',
  'astrodeployment',
  'astrocluster',
]);

/**
 * Validates the Astro entity kinds and emits their relations.
 *
 * @public
 */
export class AstroEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AstroEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    return ASTRO_KINDS.has(entity.kind.toLocaleLowerCase('en-US'));
  }
}
