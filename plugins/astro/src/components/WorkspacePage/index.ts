export { WorkspacePage, WorkspaceDeployments } from './WorkspacePage';
