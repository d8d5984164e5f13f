export {
  AlertRulesCard,
  DeploymentAlertRulesCard,
  WorkspaceAlertRulesCard,
} from './AlertRulesCard';
export type { AlertScope } from './model';
