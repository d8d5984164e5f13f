export { ClusterRegistry, toClusterSummary } from './ClusterRegistry';
export type { ClusterRegistryOptions, ClusterSummary } from './ClusterRegistry';
export { ConfigClusterSource } from './ConfigClusterSource';
export * from './kubernetes';
