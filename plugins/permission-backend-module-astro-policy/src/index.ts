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
