/** The ResourceQuota controller: keeps `status.hard` and `status.used` current. */
import { namespaceUsage, quotaStatus } from '../api/quota';
import { ResourceCatalog } from '../api/resources';
import { ControllerContext, writeStatus } from './context';

const QUOTA = ResourceCatalog.kind('ResourceQuota');

/** Recomputes the status of every quota of a namespace. */
export function reconcileQuotas(
  context: ControllerContext,
  namespace: string,
): void {
  const quotas = context.store.list(QUOTA, { namespace });
  if (quotas.length === 0) {
    return;
  }
  const usage = namespaceUsage(context.store, namespace);
  for (const quota of quotas) {
    writeStatus(context, QUOTA, quota, quotaStatus(quota, usage));
  }
}
