/** Query parameters read the way the Kubernetes API server reads them. */

/**
 * A boolean parameter: absent is false; `0` and `false` in any case are
 * false; any other value (`true`, `True`, `1`, even empty) is true, as the
 * API server's query conversion does.
 */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) {
    return false;
  }
  return value !== '0' && value.toLowerCase() !== 'false';
}
