import { createHash } from 'node:crypto';
import { ClusterDeclaration } from '@airflow-portal/plugin-astro-node';

/** JSON with object keys sorted, so equal declarations give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b, 'en'));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) of a whole cluster declaration, connection and credentials
 * included, so that two backends whose declarations differ in anything
 * (a token key misspelled away, another CA) are told apart. Only the hash
 * is stored, never the declaration's credentials.
 */
export function declarationHash(declaration: ClusterDeclaration): string {
  return createHash('sha256')
    .update('astro-cluster-declaration:v1:')
    .update(canonicalJson(declaration))
    .digest('hex');
}
