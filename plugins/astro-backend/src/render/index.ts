/**
 * The renderer: one Deployment's spec and its cluster's capabilities in,
 * Kubernetes objects out.
 */
export { renderDeployment } from './renderDeployment';
export { RENDER_PHASES } from './types';
export type {
  ExternalMetadataDatabase,
  InNamespaceMetadataDatabase,
  RenderCondition,
  RenderCredentials,
  RenderDatabase,
  RenderDeploymentIdentity,
  RenderImages,
  RenderInput,
  RenderDagSync,
  RenderExposure,
  RenderPullSecret,
  RenderPhase,
  RenderResult,
  RenderRuntime,
  RenderedObject,
} from './types';
export {
  canonicalJson,
  contentHash,
  objectContentHash,
  renderedObjectKey,
} from './hash';
export { ownedSelector } from './labels';
export { DEFAULT_RENDER_IMAGES, airflowUiService } from './context';
export type { AirflowUiService } from './context';
export { MIGRATION_JOB_PREFIX } from './migration';
export { workerName } from './workers';
export { workerQueueQuery } from './autoscaling';
export { planSettingsQuota } from './settingsQuota';
export type { QuotaPlatform } from './settingsQuota';
export { describeQuotaShortfall } from './quota';
export type { QuotaPlan, QuotaPart } from './quota';
