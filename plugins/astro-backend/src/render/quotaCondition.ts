import {
  QuotaPlan,
  describeQuotaShortfall,
  formatCpu,
  formatMemory,
} from './quota';
import type { RenderCondition } from './types';

/**
 * The `QuotaTooSmall` condition: `True` when the settings need more than the
 * namespace quota at full scale (accepted only where the platform allows
 * oversubscription, `astro.deployments.allowQuotaOversubscription`), with
 * the numbers; `False` with the numbers otherwise.
 */
export function quotaCondition(plan: QuotaPlan): RenderCondition {
  const shortfall = describeQuotaShortfall(plan);
  if (shortfall) {
    return {
      type: 'QuotaTooSmall',
      status: 'True',
      reason: 'QuotaBelowNeed',
      message: `${shortfall} Pods beyond the quota are not created until others end; Kubernetes-executor tasks wait in the executor's queue.`,
    };
  }
  return {
    type: 'QuotaTooSmall',
    status: 'False',
    reason: 'QuotaFits',
    message: `The quota (${formatCpu(
      plan.quota.cpuMillis,
    )} CPU / ${formatMemory(plan.quota.memoryBytes)}) covers the ${formatCpu(
      plan.need.cpuMillis,
    )} CPU / ${formatMemory(
      plan.need.memoryBytes,
    )} the settings need at full scale, rollouts included.`,
  };
}
