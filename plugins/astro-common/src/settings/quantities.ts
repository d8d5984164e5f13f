/**
 * Kubernetes resource quantities, reduced to numbers for comparisons.
 */

const CPU = /^(\d+(\.\d{1,3})?|\d+m)$/;
const MEMORY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/**
 * Millicores of a CPU quantity (`"1"`, `"0.5"`, `"500m"`), or `undefined` if
 * it is not one.
 *
 * @public
 */
export function parseCpuMillis(quantity: string): number | undefined {
  if (!CPU.test(quantity)) {
    return undefined;
  }
  return quantity.endsWith('m')
    ? Number(quantity.slice(0, -1))
    : Math.round(Number(quantity) * 1000);
}

/**
 * Bytes of a memory quantity (`"512Mi"`, `"2Gi"`, `"1G"`), or `undefined` if
 * it is not one.
 *
 * @public
 */
export function parseMemoryBytes(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity);
  if (!match) {
    return undefined;
  }
  return Math.round(Number(match[1]) * MEMORY_FACTORS[match[3] ?? '']);
}
