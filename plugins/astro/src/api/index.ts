export { astroApiRef } from './AstroApi';
export type { AstroApi } from './AstroApi';
export { AstroApiClient } from '@airflow-portal/plugin-astro-common';
