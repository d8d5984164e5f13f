export { KubernetesClusterDriver } from './KubernetesClusterDriver';
export type { KubernetesClusterDriverOptions } from './KubernetesClusterDriver';
export { KubernetesClusterClient } from './KubernetesClusterClient';
