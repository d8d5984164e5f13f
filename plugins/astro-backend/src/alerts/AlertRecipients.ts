import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AstroDatabase, DeploymentRecord } from '../store';

/** Who alerts go to, as entity refs of catalog users and groups. */
export interface AlertRecipientDirectory {
  /**
   * The owners of a Deployment: its owner (or its workspace's) and every
   * user and group bound to a role on its workspace or on it.
   */
  ownersOf(deployment: DeploymentRecord): Promise<string[]>;
  /** The catalog users with these e-mail addresses, by address (lower-case). */
  usersByEmail(addresses: string[]): Promise<Map<string, string>>;
}

/**
 * Recipients from the Astro role bindings and owners (the database) and
 * from the software catalog (users' `spec.profile.email`).
 */
export class AlertRecipients implements AlertRecipientDirectory {
  constructor(
    private readonly db: AstroDatabase,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async ownersOf(deployment: DeploymentRecord): Promise<string[]> {
    const [onWorkspace, onDeployment] = await Promise.all([
      this.db.roleBindings.listOn('workspace', deployment.workspace_id),
      this.db.roleBindings.listOn('deployment', deployment.id),
    ]);
    const owner =
      deployment.owner ??
      (
        await this.db.workspaces.get(
          deployment.organization_id,
          deployment.workspace_name,
        )
      )?.owner;
    return [
      ...new Set(
        [
          ...(owner ? [owner] : []),
          ...onWorkspace.map(b => b.principal),
          ...onDeployment.map(b => b.principal),
        ].map(ref => ref.toLocaleLowerCase('en-US')),
      ),
    ].sort();
  }

  async usersByEmail(addresses: string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (addresses.length === 0) {
      return result;
    }
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'User', 'spec.profile.email': addresses },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.profile.email',
        ],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    for (const entity of items) {
      const email = (entity.spec?.profile as { email?: string } | undefined)
        ?.email;
      if (email) {
        result.set(email.toLowerCase(), stringifyEntityRef(entity));
      }
    }
    return result;
  }
}
