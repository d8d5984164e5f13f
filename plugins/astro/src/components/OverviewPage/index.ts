export { NoOrganizations, WorkspacesOverview } from './OverviewPage';
