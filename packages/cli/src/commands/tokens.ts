import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import { Command, Option } from 'commander';
import { CliContext } from '../lib/context';
import { formatTime, writeTable } from '../lib/output';
import { parseInteger, parseRef, Ref } from '../lib/refs';

type ApiToken = AstroApiSchemas['ApiToken'];
type ApiTokenWithValue = AstroApiSchemas['ApiTokenWithValue'];
type ApiTokenRole = AstroApiSchemas['ApiTokenRole'];

const WORKSPACE_ROLES = ['OWNER', 'OPERATOR', 'AUTHOR', 'MEMBER'] as const;

/** `AUTHOR` or `WORKSPACE_AUTHOR` → `WORKSPACE_AUTHOR`. */
function workspaceRole(value: string): ApiTokenRole {
  const upper = value.toUpperCase().replace(/^WORKSPACE_/, '');
  return `WORKSPACE_${upper}` as ApiTokenRole;
}

/** The calls of one token scope: a Deployment's or a workspace's. */
interface TokenScope {
  /** What the ORG/NAME argument names, for help and errors. */
  noun: 'Deployment' | 'workspace';
  list(ref: Ref): Promise<{ items: ApiToken[] }>;
  create(
    ref: Ref,
    body: AstroApiSchemas['ApiTokenCreate'],
  ): Promise<ApiTokenWithValue>;
  revoke(ref: Ref, token: string): Promise<ApiToken>;
  rotate(ref: Ref, token: string): Promise<ApiTokenWithValue>;
}

function tokenState(token: ApiToken, now: number): string {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/**
 * Prints a token's value once: the value alone on stdout (so that
 * `$(airflow-portal … token create …)` captures just it), everything
 * else on stderr.
 */
function showValue(ctx: CliContext, token: ApiTokenWithValue, what: string) {
  if (ctx.json) {
    ctx.result(token);
  } else {
    ctx.note(
      `${what} token ${token.name} (${token.id}) of ${token.organization}/${
        token.deployment ?? token.workspace
      }, role ${token.role}, ${
        token.expiresAt
          ? `expires ${formatTime(token.expiresAt)}`
          : 'never expires'
      }.`,
    );
    ctx.io.stdout.write(`${token.value}\n`);
  }
  ctx.note(
    'Warning: copy the token now, it is not shown again. Store it as a CI secret; anyone with it can deploy.',
  );
}

function registerTokenCommands(
  parent: Command,
  ctx: CliContext,
  scope: TokenScope,
  withRole: boolean,
) {
  const arg =
    scope.noun === 'Deployment' ? '<org/deployment>' : '<org/workspace>';
  const token = parent
    .command('token')
    .description(`API tokens of a ${scope.noun}: for CI/CD and scripts`);

  const create = token
    .command('create')
    .description(
      `Create an API token of a ${scope.noun}; its value is printed once`,
    )
    .argument(
      arg,
      `the ${scope.noun}, e.g. acme/${
        scope.noun === 'Deployment' ? 'prod-etl' : 'data-eng'
      }`,
    )
    .requiredOption('--name <name>', 'what it is for, e.g. github-actions')
    .option('--description <text>', 'free text')
    .option(
      '--expires-in-days <days>',
      'days until it expires (never by default)',
    );
  if (withRole) {
    create.addOption(
      new Option(
        '--role <role>',
        'what it may do: MEMBER reads, AUTHOR and above also deploy',
      )
        .choices([
          ...WORKSPACE_ROLES,
          ...WORKSPACE_ROLES.map(r => `WORKSPACE_${r}`),
        ])
        .makeOptionMandatory(),
    );
  }
  create.action(
    async (
      refText: string,
      options: {
        name: string;
        description?: string;
        expiresInDays?: string;
        role?: string;
      },
    ) => {
      const ref = parseRef(refText, scope.noun.toUpperCase());
      const expiresInDays = options.expiresInDays
        ? parseInteger(options.expiresInDays, '--expires-in-days', {
            min: 1,
            max: 3650,
          })
        : undefined;
      const created = await scope.create(ref, {
        name: options.name,
        ...(options.description !== undefined
          ? { description: options.description }
          : {}),
        ...(expiresInDays !== undefined ? { expiresInDays } : {}),
        ...(options.role ? { role: workspaceRole(options.role) } : {}),
      });
      showValue(ctx, created, 'Created');
    },
  );

  token
    .command('list')
    .description(
      `List the API tokens of a ${scope.noun} (without their values)`,
    )
    .argument(arg, `the ${scope.noun}`)
    .action(async (refText: string) => {
      const ref = parseRef(refText, scope.noun.toUpperCase());
      const { items } = await scope.list(ref);
      ctx.result(items);
      if (ctx.json) return;
      if (!items.length) {
        ctx.print(`No API tokens of ${ref.org}/${ref.name}.`);
        return;
      }
      const now = ctx.io.now();
      writeTable(
        ctx.io.stdout,
        [
          'ID',
          'NAME',
          'PREFIX',
          'ROLE',
          'STATE',
          'CREATED',
          'EXPIRES',
          'LAST USED',
        ],
        items.map(t => [
          t.id,
          t.name,
          t.prefix,
          t.role,
          tokenState(t, now),
          formatTime(t.createdAt),
          t.expiresAt ? formatTime(t.expiresAt) : 'never',
          t.lastUsedAt ? formatTime(t.lastUsedAt) : 'never',
        ]),
      );
    });

  token
    .command('revoke')
    .description('Revoke an API token: it is refused from then on')
    .argument(arg, `the ${scope.noun}`)
    .argument('<token-id>', 'the token (see `token list`)')
    .action(async (refText: string, tokenId: string) => {
      const ref = parseRef(refText, scope.noun.toUpperCase());
      const revoked = await scope.revoke(ref, tokenId);
      ctx.result(revoked);
      ctx.print(`Revoked token ${revoked.name} (${revoked.id}).`);
    });

  token
    .command('rotate')
    .description(
      'Give an API token a new value (printed once); the old value is refused from then on',
    )
    .argument(arg, `the ${scope.noun}`)
    .argument('<token-id>', 'the token (see `token list`)')
    .action(async (refText: string, tokenId: string) => {
      const ref = parseRef(refText, scope.noun.toUpperCase());
      const rotated = await scope.rotate(ref, tokenId);
      showValue(ctx, rotated, 'Rotated');
    });
}

export function registerDeploymentTokenCommands(
  deployment: Command,
  ctx: CliContext,
) {
  const api = async () => (await ctx.portal()).api;
  registerTokenCommands(
    deployment,
    ctx,
    {
      noun: 'Deployment',
      list: async ref =>
        (await api()).listDeploymentTokens({
          path: { org: ref.org, dep: ref.name },
        }),
      create: async (ref, body) =>
        (await api()).createDeploymentToken({
          path: { org: ref.org, dep: ref.name },
          body,
        }),
      revoke: async (ref, token) =>
        (await api()).revokeDeploymentToken({
          path: { org: ref.org, dep: ref.name, token },
        }),
      rotate: async (ref, token) =>
        (await api()).rotateDeploymentToken({
          path: { org: ref.org, dep: ref.name, token },
        }),
    },
    false,
  );
}

export function registerWorkspaceCommands(program: Command, ctx: CliContext) {
  const api = async () => (await ctx.portal()).api;
  const workspace = program
    .command('workspace')
    .description('Workspaces and their API tokens');

  workspace
    .command('list')
    .description('List the workspaces of an organization')
    .argument('<org>', 'the organization')
    .action(async (org: string) => {
      const { items } = await (await api()).listWorkspaces({ path: { org } });
      ctx.result(items);
      if (ctx.json) return;
      if (!items.length) {
        ctx.print(`No workspaces in ${org}.`);
        return;
      }
      writeTable(
        ctx.io.stdout,
        ['WORKSPACE', 'TITLE', 'OWNER'],
        items.map(w => [`${w.organization}/${w.name}`, w.title, w.owner]),
      );
    });

  registerTokenCommands(
    workspace,
    ctx,
    {
      noun: 'workspace',
      list: async ref =>
        (await api()).listWorkspaceTokens({
          path: { org: ref.org, ws: ref.name },
        }),
      create: async (ref, body) =>
        (await api()).createWorkspaceToken({
          path: { org: ref.org, ws: ref.name },
          body,
        }),
      revoke: async (ref, token) =>
        (await api()).revokeWorkspaceToken({
          path: { org: ref.org, ws: ref.name, token },
        }),
      rotate: async (ref, token) =>
        (await api()).rotateWorkspaceToken({
          path: { org: ref.org, ws: ref.name, token },
        }),
    },
    true,
  );
}
