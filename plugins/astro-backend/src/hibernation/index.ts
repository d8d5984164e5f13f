/**
 * Hibernation: schedules and overrides decide when a Deployment sleeps
 * (every Airflow component scaled to zero) and when it wakes.
 */
import { HibernationPlanner } from './HibernationPlanner';
import { HibernationTimers } from './HibernationTimers';

export { planHibernation } from './planHibernation';
export type {
  HibernationOverride,
  HibernationPlan,
  HibernationPlanInput,
  HibernationTransition,
} from './planHibernation';
export { HibernationPlanner, hibernationStateOf } from './HibernationPlanner';
export type { DeploymentHibernation } from './HibernationPlanner';
export { HibernationTimers } from './HibernationTimers';
export { assertHighAvailabilityAllowed } from './highAvailability';
export {
  hibernateRender,
  HIBERNATING_COMPONENTS,
  KEDA_PAUSED_REPLICAS_ANNOTATION,
} from './hibernateRender';
export { hibernationVerdict } from './hibernationStatus';
export type {
  HibernationStatusInput,
  HibernationVerdict,
} from './hibernationStatus';

/** What the engine uses of hibernation: the planner and the transition timers. */
export interface EngineHibernation {
  planner: HibernationPlanner;
  timers: HibernationTimers;
}
