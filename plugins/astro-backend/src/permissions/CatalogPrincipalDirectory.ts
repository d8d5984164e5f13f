import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PrincipalDirectory } from '../service';

/** Looks role-binding principals up in the software catalog. */
export class CatalogPrincipalDirectory implements PrincipalDirectory {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async kindOf(entityRef: string): Promise<'user' | 'group' | undefined> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    const kind = entity?.kind.toLocaleLowerCase('en-US');
    return kind === 'user' || kind === 'group' ? kind : undefined;
  }
}
