export * from './AstroDatabase';
export type { OrganizationRow } from './OrganizationStore';
export type { WorkspaceRow } from './WorkspaceStore';
export type { ClusterRow } from './ClusterStore';
export type {
  DeploymentRecord,
  DeploymentRow,
  DeploymentStatusUpdate,
  VariableRow,
} from './DeploymentStore';
export type { NewEvent } from './EventStore';
