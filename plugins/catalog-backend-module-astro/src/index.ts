/**
 * Catalog module for the Astro kinds: the processor that validates
 * `AstroOrganization`, `AstroWorkspace`, `AstroDeployment` and
 * `AstroCluster` entities and emits their relations, and the entity provider
 * that projects the Astro backend's resources into the catalog.
 *
 * @packageDocumentation
 */

export { catalogModuleAstro as default } from './module';
export { AstroEntitiesProcessor } from './processor/AstroEntitiesProcessor';
export { AstroEntityProvider } from './provider/AstroEntityProvider';
export type {
  AstroEntityProviderOptions,
  AstroRefreshSummary,
} from './provider/AstroEntityProvider';
