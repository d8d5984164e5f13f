export { AstroDatabase } from './AstroDatabase';
export type { AstroStores } from './AstroDatabase';
export { OrganizationStore } from './OrganizationStore';
export type { OrganizationRow } from './OrganizationStore';
export { WorkspaceStore } from './WorkspaceStore';
export type { WorkspaceRow } from './WorkspaceStore';
export { ClusterStore } from './ClusterStore';
export type { ClusterRow } from './ClusterStore';
export { DeploymentStore } from './DeploymentStore';
export type {
  DeploymentRecord,
  DeploymentRow,
  DeploymentStatusUpdate,
  VariableRow,
} from './DeploymentStore';
export type { EventStore, NewEvent } from './EventStore';
export type { IdempotencyRecord, IdempotencyStore } from './IdempotencyStore';
export type {
  AppliedObject,
  EngineFailure,
  DatabaseMigrationState,
  EngineState,
  HeldMigrationFailure,
  EngineStateStore,
} from './EngineStateStore';
export type { MonitorStore } from './MonitorStore';
export { openKeyOf } from './IncidentStore';
export type { IncidentStore, NewIncident } from './IncidentStore';
export type {
  MonitorWatermark,
  MonitorWatermarkStore,
} from './MonitorWatermarkStore';
export { DeployStore } from './DeployStore';
export type {
  BundleReport,
  DeployCursor,
  DeploymentCode,
  DeployResource,
  DeployRow,
  DeployStatus,
  DeployType,
  RegistryCredentialRow,
} from './DeployStore';
export { ApiTokenStore } from './ApiTokenStore';
export type {
  ApiTokenRecord,
  ApiTokenResource,
  ApiTokenRole,
  ApiTokenRow,
} from './ApiTokenStore';
export { DatabaseDagBundleStore } from './DatabaseDagBundleStore';
export {
  canonicalJson,
  decodeCursor,
  toIso,
  encodeCursor,
  isUniqueViolation,
  newAuditColumns,
} from './util';
export { RoleBindingStore } from './RoleBindingStore';
export type {
  RoleBindingRecord,
  RoleBindingRow,
  RoleBindingTarget,
} from './RoleBindingStore';
export type { ListCriteria } from './permissionCriteria';
export { HibernationOverrideStore } from './HibernationOverrideStore';
export type { HibernationOverrideRecord } from './HibernationOverrideStore';
export { AlertStore } from './AlertStore';
export type {
  AlertCondition,
  AlertRuleRecord,
  AlertRuleRow,
  NewAlertDelivery,
  StoredAlertChannel,
} from './AlertStore';
export type {
  HistoryObservation,
  HistoryRunCounts,
  HistoryStore,
} from './HistoryStore';
