/**
 * A permission policy module applying Astro's role model (organization,
 * workspace and Deployment roles bound to catalog users and groups) to the
 * Astro permissions.
 *
 * @packageDocumentation
 */

export { permissionModuleAstroPolicy as default } from './module';
export { AstroRolePolicy } from './AstroRolePolicy';
export type { AstroRolePolicyOptions, ClaimsResolver } from './AstroRolePolicy';
export { RoleBindingsReader } from './RoleBindingsReader';
export type { RoleBindingsSource } from './RoleBindingsReader';
export {
  ASTRO_ROLE_GOVERNED_KINDS,
  astroRoleGoverned,
  notAstroRoleGoverned,
  visibleAstroEntities,
} from './catalogVisibility';
export type { CatalogEntityCriteria } from './catalogVisibility';
