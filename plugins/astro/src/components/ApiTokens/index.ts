export {
  ApiTokensCard,
  DeploymentApiTokensCard,
  WorkspaceApiTokensCard,
} from './ApiTokensCard';
export type { TokenScope } from './model';
