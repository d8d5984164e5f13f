import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { Actor, actorOf } from '../service/actor';

/**
 * Checks a request's permission with Backstage's permission framework and
 * tells who made it.
 */
export class Authorizer {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
  ) {}

  /** Throws NotAllowedError unless the policy allows the permission. */
  async authorize(
    request: Request<any, any, any, any>,
    permission: BasicPermission,
  ): Promise<{ credentials: BackstageCredentials; actor: Actor }>;
  async authorize(
    request: Request<any, any, any, any>,
    permission: ResourcePermission,
    resourceRef: string,
  ): Promise<{ credentials: BackstageCredentials; actor: Actor }>;
  async authorize(
    request: Request<any, any, any, any>,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ) {
    const credentials = await this.httpAuth.credentials(request, {
      allow: ['user', 'service'],
    });
    const [decision] = await this.permissions.authorize(
      [
        resourceRef === undefined
          ? { permission: permission as BasicPermission }
          : { permission: permission as ResourcePermission, resourceRef },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The permission policy denies ${permission.name}${
          resourceRef ? ` on ${resourceRef}` : ''
        }`,
      );
    }
    return { credentials, actor: actorOf(credentials) };
  }
}
