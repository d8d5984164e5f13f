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
       * cached, in seconds. Role bindings themselves are never cached.
       * @default 5
       */
      membershipCacheSeconds?: number;
    };
  };
}
