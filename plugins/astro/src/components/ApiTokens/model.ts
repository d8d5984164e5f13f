import type { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import type { AstroApi } from '../../api';

/** An API token, without its value. */
export type ApiToken = AstroApiSchemas['ApiToken'];
/** An API token with its value, as created or rotated: shown once. */
export type ApiTokenWithValue = AstroApiSchemas['ApiTokenWithValue'];
/** What a token may do. */
export type ApiTokenRole = AstroApiSchemas['ApiTokenRole'];
/** A new token as the API takes it. */
export type ApiTokenCreate = AstroApiSchemas['ApiTokenCreate'];

/** The tokens of one Deployment or of one workspace. */
export type TokenScope =
  | { kind: 'deployment'; organization: string; deployment: string }
  | { kind: 'workspace'; organization: string; workspace: string };

/** The token calls of a scope, so that one card serves both kinds. */
export interface ScopedTokenApi {
  list(): Promise<ApiToken[]>;
  create(
    body: ApiTokenCreate,
    idempotencyKey: string,
  ): Promise<ApiTokenWithValue>;
  revoke(id: string): Promise<ApiToken>;
  rotate(id: string): Promise<ApiTokenWithValue>;
}

/** The calls of the Astro API for a scope's tokens. */
export function scopedTokenApi(
  astroApi: AstroApi,
  scope: TokenScope,
): ScopedTokenApi {
  const org = scope.organization;
  if (scope.kind === 'deployment') {
    const path = { org, dep: scope.deployment };
    return {
      list: async () => (await astroApi.listDeploymentTokens({ path })).items,
      create: (body, key) =>
        astroApi.createDeploymentToken({
          path,
          header: { 'Idempotency-Key': key },
          body,
        }),
      revoke: token =>
        astroApi.revokeDeploymentToken({ path: { ...path, token } }),
      rotate: token =>
        astroApi.rotateDeploymentToken({ path: { ...path, token } }),
    };
  }
  const path = { org, ws: scope.workspace };
  return {
    list: async () => (await astroApi.listWorkspaceTokens({ path })).items,
    create: (body, key) =>
      astroApi.createWorkspaceToken({
        path,
        header: { 'Idempotency-Key': key },
        body,
      }),
    revoke: token =>
      astroApi.revokeWorkspaceToken({ path: { ...path, token } }),
    rotate: token =>
      astroApi.rotateWorkspaceToken({ path: { ...path, token } }),
  };
}

/** The roles a workspace token may have, least first, each in one line. */
export const WORKSPACE_TOKEN_ROLES: ReadonlyArray<{
  role: ApiTokenRole;
  label: string;
  help: string;
}> = [
  {
    role: 'WORKSPACE_MEMBER',
    label: 'Member',
    help: 'Reads the Deployments of the workspace and their deploys; cannot deploy.',
  },
  {
    role: 'WORKSPACE_AUTHOR',
    label: 'Author',
    help: 'Also deploys DAGs and images to every Deployment of the workspace: what CI needs.',
  },
  {
    role: 'WORKSPACE_OPERATOR',
    label: 'Operator',
    help: 'Deploys like an Author; the role of those who run the Deployments.',
  },
  {
    role: 'WORKSPACE_OWNER',
    label: 'Owner',
    help: "Deploys like an Author, with the workspace's highest role.",
  },
];

/** The role a new workspace token gets unless the user chooses another. */
export const DEFAULT_WORKSPACE_TOKEN_ROLE: ApiTokenRole = 'WORKSPACE_AUTHOR';

/** A role in words. */
export function roleLabel(role: ApiTokenRole): string {
  if (role === 'DEPLOYMENT_ADMIN') {
    return 'Deployment admin';
  }
  return WORKSPACE_TOKEN_ROLES.find(r => r.role === role)?.label ?? role;
}

/** Whether a token is accepted now. */
export type TokenState = 'active' | 'expired' | 'revoked';

/** Whether a token works now, is past its expiry, or was revoked. */
export function tokenState(
  token: ApiToken,
  now: number = Date.now(),
): TokenState {
  if (token.revokedAt) {
    return 'revoked';
  }
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) {
    return 'expired';
  }
  return 'active';
}

/** The create form of a token, as typed. */
export interface TokenFormValues {
  name: string;
  description: string;
  /** Days until it expires; empty: never. */
  expiresInDays: string;
  role: ApiTokenRole;
}

/** The limits of the API on a new token (ApiTokenCreate). */
export const TOKEN_LIMITS = {
  nameLength: 100,
  descriptionLength: 2000,
  minDays: 1,
  maxDays: 3650,
} as const;

/**
 * Checks the create form against the API's rules, with messages by field
 * (`name`, `description`, `expiresInDays`), and gives the request body.
 */
export function validateTokenForm(
  values: TokenFormValues,
  scope: TokenScope['kind'],
):
  | { valid: true; body: ApiTokenCreate; errors: Record<string, string> }
  | { valid: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = values.name.trim();
  if (name === '') {
    errors.name = 'must not be empty';
  } else if (name.length > TOKEN_LIMITS.nameLength) {
    errors.name = `must be at most ${TOKEN_LIMITS.nameLength} characters`;
  }
  if (values.description.length > TOKEN_LIMITS.descriptionLength) {
    errors.description = `must be at most ${TOKEN_LIMITS.descriptionLength} characters`;
  }
  let days: number | undefined;
  if (values.expiresInDays.trim() !== '') {
    days = Number(values.expiresInDays);
    if (
      !Number.isInteger(days) ||
      days < TOKEN_LIMITS.minDays ||
      days > TOKEN_LIMITS.maxDays
    ) {
      errors.expiresInDays = `must be a whole number of days from ${TOKEN_LIMITS.minDays} to ${TOKEN_LIMITS.maxDays}`;
    }
  }
  if (Object.keys(errors).length > 0) {
    return { valid: false, errors };
  }
  const body: ApiTokenCreate = { name };
  if (values.description.trim() !== '') {
    body.description = values.description.trim();
  }
  if (days !== undefined) {
    body.expiresInDays = days;
  }
  if (scope === 'workspace') {
    body.role = values.role;
  }
  return { valid: true, body, errors };
}
