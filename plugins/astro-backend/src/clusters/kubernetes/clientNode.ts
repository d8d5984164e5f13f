/**
 * The one place that loads `@kubernetes/client-node`. It is ESM only, and
 * this package is compiled to CommonJS, so it is loaded with a dynamic
 * `import()` (as Backstage's own Kubernetes backend does) and only its
 * types are imported statically.
 */
import type * as ClientNodeModule from '@kubernetes/client-node';

/** The `@kubernetes/client-node` module. */
export type ClientNode = typeof ClientNodeModule;

let loading: Promise<ClientNode> | undefined;

/** Loads `@kubernetes/client-node` once per process. */
export function loadClientNode(): Promise<ClientNode> {
  if (!loading) {
    loading = import('@kubernetes/client-node');
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}
