import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * How long the groups of a user are remembered, by default.
 *
 * @public
 */
export const DEFAULT_MEMBERSHIP_CACHE_SECONDS = 5;

/** Parent groups are followed at most this deep (cycles stop earlier). */
const MAX_DEPTH = 10;

/**
 * Normalizes an entity ref the way role bindings store principals
 * (`kind:namespace/name`, lower-case; kind defaults to user, namespace to
 * default).
 *
 * @public
 */
export function normalizePrincipalRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'user', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

function targets(entity: Entity | undefined, type: string): string[] {
  return (entity?.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef.toLocaleLowerCase('en-US'));
}

/**
 * Who a user is for role bindings: the user's ref, the refs its sign-in
 * gave it (`ownershipEntityRefs`), the groups the catalog says it is a
 * member of (`memberOf`), and all their parent groups (`childOf`,
 * transitively). A role bound to any of these applies to the user.
 *
 * Answers are cached per user for `cacheSeconds` (default 5): a change of
 * group membership in the catalog reaches decisions within that time
 * after the catalog has processed it. Role bindings themselves are never
 * cached; they are read with every decision.
 *
 * @public
 */
export class CatalogMembership {
  private readonly cache = new Map<
    string,
    { claims: Promise<string[]>; expires: number }
  >();
  private readonly ttlMs: number;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
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

  /** The refs roles are looked up for, lower-case, the user's first. */
  async claimsOf(
    userEntityRef: string,
    ownershipEntityRefs: string[] = [],
  ): Promise<string[]> {
    const key = [userEntityRef, ...[...ownershipEntityRefs].sort()].join('|');
    const cached = this.cache.get(key);
    const now = this.now();
    if (cached && cached.expires > now) {
      return cached.claims;
    }
    const claims = this.resolve(userEntityRef, ownershipEntityRefs);
    this.cache.set(key, { claims, expires: now + this.ttlMs });
    claims.catch(() => this.cache.delete(key));
    if (this.cache.size > 10_000) {
      for (const [k, entry] of this.cache) {
        if (entry.expires <= now) {
          this.cache.delete(k);
        }
      }
    }
    return claims;
  }

  private async resolve(
    userEntityRef: string,
    ownershipEntityRefs: string[],
  ): Promise<string[]> {
    const credentials: BackstageCredentials =
      await this.options.auth.getOwnServiceCredentials();
    const user = normalizePrincipalRef(userEntityRef);
    const claims = new Set<string>([
      user,
      ...ownershipEntityRefs.map(normalizePrincipalRef),
    ]);
    const [userEntity] = (
      await this.options.catalog.getEntitiesByRefs(
        { entityRefs: [user], fields: ['kind', 'metadata', 'relations'] },
        { credentials },
      )
    ).items;
    let frontier = [
      ...targets(userEntity ?? undefined, 'memberOf'),
      ...[...claims].filter(ref => ref.startsWith('group:')),
    ];
    const seen = new Set<string>();
    for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
      const groups = frontier.filter(ref => !seen.has(ref));
      groups.forEach(ref => {
        seen.add(ref);
        claims.add(ref);
      });
      if (groups.length === 0) {
        break;
      }
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: groups, fields: ['kind', 'metadata', 'relations'] },
        { credentials },
      );
      frontier = items.flatMap(entity =>
        targets(entity ?? undefined, 'childOf'),
      );
    }
    return [...claims];
  }
}
