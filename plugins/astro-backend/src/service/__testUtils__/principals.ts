import { PrincipalDirectory } from '../RoleBindingService';

/**
 * A principal directory for tests and benchmarks that do not exercise
 * role bindings: every `user:` and `group:` ref counts as present.
 */
export const everyPrincipalExists: PrincipalDirectory = {
  async kindOf(entityRef) {
    if (entityRef.startsWith('user:')) {
      return 'user';
    }
    return entityRef.startsWith('group:') ? 'group' : undefined;
  },
};
