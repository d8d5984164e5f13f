import { useRef } from 'react';

/**
 * A React key for a material-table that changes when the content of
 * `value` (its rows and options) changes, so each change renders a new
 * table instance; reads that return the same content keep the instance.
 *
 * material-table 3.x (in development builds) warns that the columns "are
 * static, but contain functions" on the first change of any prop of a table
 * instance whose columns have render functions, even when the columns are
 * memoized and only the rows changed. A fresh instance per change never sees
 * a changed prop. Use it for tables that keep no state worth keeping (no
 * paging or selection the user set).
 */
export function useTableInstanceKey(value: unknown): number {
  const last = useRef<{ content: string; key: number }>();
  const content = JSON.stringify(value);
  if (!last.current) {
    last.current = { content, key: 0 };
  } else if (last.current.content !== content) {
    last.current = { content, key: last.current.key + 1 };
  }
  return last.current.key;
}
