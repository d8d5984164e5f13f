import { InputError } from '@backstage/errors';
import { EnvironmentVariable } from '@airflow-portal/plugin-astro-common';
import { VariableRow } from '../store';
import { SecretBox } from '../secrets/SecretBox';

/**
 * Turns the requested list of variables into rows: plain values as they
 * are, secret values encrypted, and secret variables sent without a value
 * keeping the value they had.
 *
 * @returns the rows and whether anything differs from `current`.
 */
export function resolveVariableRows(
  deploymentId: string,
  requested: EnvironmentVariable[],
  current: VariableRow[],
  secrets: SecretBox,
  pathPrefix: string,
): { rows: VariableRow[]; changed: boolean } {
  const byKey = new Map(current.map(row => [row.key, row]));
  let changed = requested.length !== current.length;
  const rows = requested.map((variable, position): VariableRow => {
    const existing = byKey.get(variable.key);
    if (!variable.secret) {
      const value = variable.value ?? '';
      changed ||=
        !existing ||
        Boolean(existing.secret) ||
        existing.value !== value ||
        existing.position !== position;
      return {
        deployment_id: deploymentId,
        key: variable.key,
        position,
        secret: false,
        value,
        value_ciphertext: null,
      };
    }
    if (variable.value === undefined) {
      if (!existing?.secret || !existing.value_ciphertext) {
        throw new InputError(
          `${pathPrefix}[${position}].value: is required for a new secret variable`,
        );
      }
      changed ||= existing.position !== position;
      return { ...existing, position };
    }
    const sameValue =
      Boolean(existing?.secret) &&
      existing?.value_ciphertext &&
      secrets.decrypt(existing.value_ciphertext) === variable.value;
    if (sameValue && existing) {
      changed ||= existing.position !== position;
      return { ...existing, position };
    }
    changed = true;
    return {
      deployment_id: deploymentId,
      key: variable.key,
      position,
      secret: true,
      value: null,
      value_ciphertext: secrets.encrypt(variable.value),
    };
  });
  return { rows, changed };
}
