import type { components, paths } from './generated/openapi';

/**
 * The schemas of the Astro API's OpenAPI document, as TypeScript types.
 *
 * @public
 */
export type AstroApiSchemas = components['schemas'];

/**
 * The paths of the Astro API's OpenAPI document with their operations, as
 * TypeScript types (for typed clients and mock servers, e.g. openapi-msw).
 *
 * @public
 */
export type AstroApiPaths = paths;
