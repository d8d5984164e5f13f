export { RoleBindingsCard } from './RoleBindingsCard';
export { YourAccessCard } from './YourAccessCard';
export type { AccessScope } from './model';
