import { createHash } from 'node:crypto';
import { ClusterDeclaration } from '@airflow-portal/plugin-astro-node';
import { canonicalJson } from '../store/util';

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
