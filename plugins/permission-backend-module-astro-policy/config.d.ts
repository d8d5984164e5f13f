export interface Config {
  astro?: {
    /**
     * Entity refs of users or groups who administer the platform: they hold
     * every Astro permission (as owners of every organization), create
     * organizations and manage clusters. Read by the Astro backend and by
     * this policy.
     */
    bootstrapOwners?: string[];
    permissions?: {
      /**
       * How long a user's group memberships (nested groups included) are
       * cached, in seconds. The same time bounds the cache of role bindings
       * the policy reads (per set of claims) to decide which catalog
       * entities of the Astro kinds a user sees; the decisions of the
       * Astro API itself read role bindings with every request.
       * @default 5
       */
      membershipCacheSeconds?: number;
    };
  };
}
