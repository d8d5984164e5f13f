import { createApiRef } from '@backstage/core-plugin-api';
import type { AstroApi } from '@airflow-portal/plugin-astro-common';

export type { AstroApi };

/**
 * Reference to the {@link @airflow-portal/plugin-astro-common#AstroApi}: the
 * client generated from the Astro backend's OpenAPI document. The app
 * provides an `AstroApiClient` with its discovery and fetch APIs, so every
 * request carries the user's Backstage token.
 *
 * @public
 */
export const astroApiRef = createApiRef<AstroApi>({ id: 'plugin.astro.api' });
