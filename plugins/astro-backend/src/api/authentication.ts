import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { Request, RequestHandler } from 'express';
import { setPrincipal } from '../permissions/principals';
import { ApiTokenService, tokenActor } from '../tokens/ApiTokenService';
import { looksLikeApiToken } from '../tokens/tokenValues';
import { BundleService } from '../deploys/BundleService';

/**
 * The paths whose requests this router authenticates itself (Backstage's
 * credentials barrier lets them through; see plugin.ts): they accept API
 * tokens (`/deployments`, `/organizations/{org}/deployments…`) or bundle tokens
 * (`/bundles`). All are prefixes: every request under them is
 * authenticated here, and anything that is not a token is checked with
 * Backstage's `httpAuth` exactly as the barrier would.
 */
export const SELF_AUTHENTICATED_PATHS = [
  '/deployments',
  '/organizations/:org/deployments',
  '/bundles',
];

const ORG = '[^/]+';
const DEP = '[^/]+';

/** The operations an API token may call: read Deployments, and deploy. */
const TOKEN_OPERATIONS: Array<[string, RegExp]> = [
  ['GET', /^\/deployments$/],
  ['GET', new RegExp(`^/organizations/${ORG}/deployments$`)],
  ['GET', new RegExp(`^/organizations/${ORG}/deployments/${DEP}$`)],
  ['GET', new RegExp(`^/organizations/${ORG}/deployments/${DEP}/deploys$`)],
  ['POST', new RegExp(`^/organizations/${ORG}/deployments/${DEP}/deploys$`)],
  [
    'GET',
    new RegExp(`^/organizations/${ORG}/deployments/${DEP}/deploys/[^/]+$`),
  ],
  [
    'POST',
    new RegExp(
      `^/organizations/${ORG}/deployments/${DEP}/deploys/[^/]+/rollback$`,
    ),
  ],
];

/** Whether an API token may make this request at all. */
export function tokenMayCall(method: string, path: string): boolean {
  return TOKEN_OPERATIONS.some(
    ([allowed, pattern]) => allowed === method && pattern.test(path),
  );
}

function bearerOf(request: Request): string | undefined {
  const header = request.header('authorization');
  return header?.match(/^Bearer[ ]+(\S+)$/i)?.[1];
}

/**
 * Authenticates every request before it is parsed or validated, and
 * records who made it (see `principalOf`):
 * - `/bundles/{deploymentId}/…`: the Deployment's bundle token, else 401;
 * - an `astro_…` bearer: the API token's principal (401 when malformed,
 *   unknown, revoked, expired or rotated away), refused with 403 outside
 *   the operations tokens may call; every use is audited with the token
 *   as actor;
 * - anything else: Backstage credentials through `httpAuth` (401 without).
 */
export function authenticateRequests(options: {
  httpAuth: HttpAuthService;
  tokens: ApiTokenService;
  bundles: BundleService;
  auditor: AuditorService;
}): RequestHandler {
  return async (req, res, next) => {
    if (req.path === '/health') {
      next();
      return;
    }
    const bearer = bearerOf(req);
    // Case-insensitive like Express's routing: /BUNDLES/… reaches the
    // bundle routes too, and must take the bundle token as well.
    const bundlePath = /^\/bundles\/([^/]*)(?:\/|$)/i.exec(req.path);
    if (bundlePath) {
      await options.bundles.authenticate(
        decodeURIComponent(bundlePath[1]),
        bearer,
      );
      next();
      return;
    }
    if (bearer && looksLikeApiToken(bearer)) {
      const principal = await options.tokens.authenticate(bearer);
      const actor = tokenActor(principal);
      const event = await options.auditor.createEvent({
        eventId: 'api-token-use',
        severityLevel: 'low',
        meta: {
          actor,
          tokenId: principal.tokenId,
          method: req.method,
          url: req.originalUrl,
        },
      });
      res.on('finish', () => {
        const done =
          res.statusCode < 400
            ? event.success({ meta: { status: String(res.statusCode) } })
            : event.fail({
                error: new Error(`Answered ${res.statusCode}`),
                meta: { status: String(res.statusCode) },
              });
        done.catch(() => {});
      });
      if (!tokenMayCall(req.method, req.path)) {
        throw new NotAllowedError(
          `API token ${principal.tokenId} may only read Deployments and deploy to them; ${req.method} ${req.path} needs Backstage credentials`,
        );
      }
      setPrincipal(req, principal);
      next();
      return;
    }
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    setPrincipal(req, { type: 'backstage', credentials });
    next();
  };
}
