import { readWebhookTargetPolicy } from '../alerts/channels/WebhookTargetPolicy';
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { EventsService } from '@backstage/plugin-events-node';
import { AstroDatabase } from '../store';
import { SecretBox } from '../secrets/SecretBox';
import { readDeploymentOptions } from '../options/deploymentOptions';
import { ChangeFeed } from './ChangeFeed';
import { MutationRunner } from './MutationRunner';
import { OrganizationService } from './OrganizationService';
import { WorkspaceService } from './WorkspaceService';
import { ClusterService } from './ClusterService';
import { DeploymentService } from './DeploymentService';
import { DeploymentFileService } from './DeploymentFileService';
import { PermissionResources } from './PermissionResources';
import { PrincipalDirectory, RoleBindingService } from './RoleBindingService';
import { AstroServices } from '.';
import { HibernationPlanner } from '../hibernation';
import { HibernationService } from './HibernationService';
import { AlertRuleService } from './AlertRuleService';

/** Builds the database, the secret box and the services on top of them. */
export async function createAstroServices(options: {
  config: Config;
  logger: LoggerService;
  database: DatabaseService;
  events?: EventsService;
  production?: boolean;
  /**
   * Whether Deployments' metadata databases run in their namespaces (no
   * provisioner): their PostgreSQL counts against the namespace quota.
   * Defaults to true, the larger need.
   */
  inNamespaceDatabase?: boolean;
  /** Where role-binding principals are looked up: the catalog in the plugin. */
  principals: PrincipalDirectory;
  /** What time it is for the services (audit times, hibernation plans). */
  clock?: () => Date;
}): Promise<{
  services: AstroServices;
  db: AstroDatabase;
  secrets: SecretBox;
  changes: ChangeFeed;
  mutations: MutationRunner;
}> {
  const { config, logger } = options;
  const secrets = SecretBox.fromConfig(config, {
    logger,
    production: options.production ?? process.env.NODE_ENV === 'production',
  });
  const db = await AstroDatabase.create({ database: options.database });
  const changes = new ChangeFeed({ events: options.events, logger });
  const mutations = new MutationRunner(db, changes, options.clock);
  const hibernation = new HibernationPlanner(
    db,
    options.clock ?? (() => new Date()),
  );
  const organizations = new OrganizationService(db, mutations);
  const workspaces = new WorkspaceService(db, mutations, organizations);
  const clusters = new ClusterService(db, mutations, secrets, logger);
  const deployments = new DeploymentService(
    db,
    mutations,
    organizations,
    workspaces,
    secrets,
    {
      deploymentOptions: readDeploymentOptions(config),
      defaultCluster: config.getOptionalString('astro.defaultCluster'),
      quota: {
        platform: {
          inNamespaceDatabase: options.inNamespaceDatabase ?? true,
          // The plugin always serves DAG deploys to its Deployments.
          dagSync: true,
        },
        allowOversubscription:
          config.getOptionalBoolean(
            'astro.deployments.allowQuotaOversubscription',
          ) ?? false,
      },
      hibernation,
    },
  );
  return {
    services: {
      organizations,
      workspaces,
      clusters,
      deployments,
      deploymentFiles: new DeploymentFileService(deployments),
      roleBindings: new RoleBindingService(db, mutations, options.principals),
      permissionResources: new PermissionResources(db),
      hibernation: new HibernationService(mutations, deployments, hibernation),
      alertRules: new AlertRuleService(
        db,
        mutations,
        organizations,
        workspaces,
        deployments,
        secrets,
        readWebhookTargetPolicy(config),
      ),
    },
    db,
    secrets,
    changes,
    mutations,
  };
}
