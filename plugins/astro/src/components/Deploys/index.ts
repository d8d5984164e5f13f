export { CodeCard } from './CodeCard';
export { DeployHistoryCard } from './DeployHistoryCard';
export { DeployDagsDialog } from './DeployDagsDialog';
export { DeploysProvider, useDeploys } from './useDeploys';
export type { DeploysState } from './useDeploys';
