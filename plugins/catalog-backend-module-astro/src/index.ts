/**
 * Catalog module for the Astro kinds.
 *
 * @packageDocumentation
 */

export { catalogModuleAstro as default } from './module';
export { AstroEntitiesProcessor } from './processor/AstroEntitiesProcessor';
