import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

/** Who changes state: a user's entity ref or `service:<subject>`. */
export type Actor = string;

/** The actor the platform itself acts as (reconciler, monitor). */
export const SYSTEM_ACTOR: Actor = 'system:astro';

/** The actor behind a request's credentials. */
export function actorOf(credentials: BackstageCredentials): Actor {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | BackstageServicePrincipal
    | { type: 'none' };
  if (principal.type === 'user') {
    return principal.userEntityRef;
  }
  if (principal.type === 'service') {
    return principal.subject.startsWith('service:')
      ? principal.subject
      : `service:${principal.subject}`;
  }
  return 'anonymous';
}
