import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { TokenPrincipal } from '../tokens/ApiTokenService';

/** Who made a request: Backstage credentials, or an API token. */
export type RequestPrincipal =
  | { type: 'backstage'; credentials: BackstageCredentials }
  | TokenPrincipal;

const principals = new WeakMap<object, RequestPrincipal>();

/** Records who made a request (done once, by the router's authentication). */
export function setPrincipal(
  request: Request<any, any, any, any>,
  principal: RequestPrincipal,
): void {
  principals.set(request, principal);
}

/** Who made a request, when the router authenticated it. */
export function principalOf(
  request: Request<any, any, any, any>,
): RequestPrincipal | undefined {
  return principals.get(request);
}
