import { LoggerService } from '@backstage/backend-plugin-api';
import { AstroApi, RoleBinding } from '@airflow-portal/plugin-astro-common';
import { DEFAULT_MEMBERSHIP_CACHE_SECONDS } from '@airflow-portal/plugin-astro-node';

/** Where the policy reads the role bindings of a user's claims from. */
export interface RoleBindingsSource {
  /**
   * Every binding of any of the claims, anywhere; undefined when they
   * cannot be read (the caller then shows nothing that needs them).
   */
  bindingsOf(claims: string[]): Promise<RoleBinding[] | undefined>;
}

/** The API's limit of principals per request. */
const PRINCIPALS_PER_REQUEST = 100;

/**
 * Reads role bindings from the Astro backend (`GET /role-bindings`, for
 * backend services only) with the permission plugin's own service
 * credentials. Answers are cached per set of claims for `cacheSeconds`
 * (the `astro.permissions.membershipCacheSeconds` of group memberships,
 * default 5): a granted or removed role reaches catalog visibility within
 * that time. A failed read is logged as a warning, answers undefined and is
 * not cached.
 */
export class RoleBindingsReader implements RoleBindingsSource {
  private readonly cache = new Map<
    string,
    { bindings: Promise<RoleBinding[] | undefined>; expires: number }
  >();
  private readonly ttlMs: number;

  constructor(
    private readonly options: {
      api: Pick<AstroApi, 'listRoleBindingsOfPrincipals'>;
      logger: LoggerService;
      cacheSeconds?: number;
      now?: () => number;
    },
  ) {
    this.ttlMs =
      (options.cacheSeconds ?? DEFAULT_MEMBERSHIP_CACHE_SECONDS) * 1000;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async bindingsOf(claims: string[]): Promise<RoleBinding[] | undefined> {
    if (claims.length === 0) {
      return [];
    }
    const key = [...new Set(claims)].sort().join('|');
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) {
      return cached.bindings;
    }
    const bindings = this.read([...new Set(claims)]);
    this.cache.set(key, { bindings, expires: now + this.ttlMs });
    bindings.then(result => {
      if (result === undefined) {
        this.cache.delete(key);
      }
    });
    if (this.cache.size > 10_000) {
      for (const [k, entry] of this.cache) {
        if (entry.expires <= now) {
          this.cache.delete(k);
        }
      }
    }
    return bindings;
  }

  private async read(claims: string[]): Promise<RoleBinding[] | undefined> {
    const chunks: string[][] = [];
    for (let i = 0; i < claims.length; i += PRINCIPALS_PER_REQUEST) {
      chunks.push(claims.slice(i, i + PRINCIPALS_PER_REQUEST));
    }
    try {
      const pages = await Promise.all(
        chunks.map(principal =>
          this.options.api.listRoleBindingsOfPrincipals({
            query: { principal },
          }),
        ),
      );
      return pages.flatMap(page => page.items);
    } catch (error) {
      this.options.logger.warn(
        `Could not read role bindings from the Astro backend; Astro organizations, workspaces and Deployments are hidden in the catalog until it answers: ${
          (error as Error)?.message ?? String(error)
        }`,
      );
      return undefined;
    }
  }
}
