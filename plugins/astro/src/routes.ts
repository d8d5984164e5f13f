import { createRouteRef } from '@backstage/core-plugin-api';

/** The root of the Airflow pages, mounted at `/astro` by default. */
export const rootRouteRef = createRouteRef({ id: 'astro' });
