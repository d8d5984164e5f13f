import { UsageError } from './errors';

/** A resource named `ORGANIZATION/NAME`. */
export interface Ref {
  org: string;
  name: string;
}

/** `acme/prod-etl` → `{ org: 'acme', name: 'prod-etl' }`. */
export function parseRef(value: string, what: string): Ref {
  const parts = value.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new UsageError(
      `${what}: expected ORGANIZATION/NAME (e.g. acme/prod-etl), not ${JSON.stringify(
        value,
      )}`,
    );
  }
  return { org: parts[0], name: parts[1] };
}

/** A whole number option, checked. */
export function parseInteger(
  value: string,
  option: string,
  range: { min: number; max?: number },
): number {
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`${option}: must be a whole number, not ${value}`);
  }
  const number = Number(value);
  if (number < range.min || (range.max !== undefined && number > range.max)) {
    throw new UsageError(
      `${option}: must be ${
        range.max === undefined
          ? `at least ${range.min}`
          : `between ${range.min} and ${range.max}`
      }, not ${value}`,
    );
  }
  return number;
}
