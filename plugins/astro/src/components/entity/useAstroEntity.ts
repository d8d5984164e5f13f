import { useEntity } from '@backstage/plugin-catalog-react';
import {
  AstroEntityResource,
  getAstroEntityResource,
} from '@airflow-portal/plugin-astro-common';

/**
 * The Astro API resource the current catalog entity shows, read from its
 * annotations (or its namespace and name), or `undefined` for other kinds.
 */
export function useAstroEntityResource(): AstroEntityResource | undefined {
  const { entity } = useEntity();
  return getAstroEntityResource(entity);
}
