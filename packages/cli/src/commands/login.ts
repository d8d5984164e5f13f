import { Command } from 'commander';
import {
  createPortalClient,
  isApiToken,
  normalizePortalUrl,
} from '../lib/client';
import { configPath, ENV, readConfig, writeConfig } from '../lib/config';
import { CliContext } from '../lib/context';
import { UsageError } from '../lib/errors';
import { parseRef } from '../lib/refs';

/** `astro_2f9c1a7e…` — enough to tell API tokens apart, nothing more. */
function describeToken(token: string): string {
  return isApiToken(token)
    ? `an API token ${token.slice(0, 'astro_'.length + 8)}…`
    : 'a Backstage token';
}

export function registerLoginCommands(program: Command, ctx: CliContext) {
  program
    .command('login')
    .description(
      'Store the portal URL and a token (an API token astro_… or a Backstage token) after checking them against the API',
    )
    .option(
      '--deployment <org/name>',
      'check an API token against this Deployment (API tokens read only their Deployments)',
    )
    .addHelpText(
      'after',
      `
The URL and token come from --url and --token, else from ${ENV.url} and
${ENV.token}, else they are asked for (the token without echo; piped
input is read as the token). They are stored in
$XDG_CONFIG_HOME/airflow-portal/config.json (~/.config by default), mode 0600.

Examples:
  $ airflow-portal login --url https://portal.example.com
  $ echo "$TOKEN" | airflow-portal login --url http://localhost:7007
  $ airflow-portal login --url https://portal.example.com --deployment acme/prod-etl`,
    )
    .action(async (options: { deployment?: string }) => {
      const { io, globals } = ctx;
      const stored = await readConfig(io);
      let url = globals.url ?? io.env[ENV.url] ?? stored.url;
      if (!url && ctx.interactive) {
        url = await ctx.readLine(
          'Portal URL (e.g. https://portal.example.com): ',
        );
      }
      if (!url) {
        throw new UsageError(`No portal URL: pass --url URL or set ${ENV.url}`);
      }
      url = normalizePortalUrl(url);
      let token = globals.token ?? io.env[ENV.token];
      if (!token && io.stdin) {
        token = await ctx.readLine(
          'Token (an API token astro_… or a Backstage token): ',
          { hidden: true },
        );
      }
      if (!token) {
        throw new UsageError(
          `No token: pass --token TOKEN, set ${ENV.token}, or pipe it in`,
        );
      }
      const deployment = options.deployment
        ? parseRef(options.deployment, '--deployment')
        : undefined;

      ctx.portalUrl = url;
      const { api } = createPortalClient({ url, token });
      let checked: string;
      if (deployment) {
        const found = await api.getDeployment({
          path: { org: deployment.org, dep: deployment.name },
        });
        checked = `it may read ${found.organization}/${found.name}`;
      } else if (isApiToken(token)) {
        await api.getHealth();
        checked =
          'the portal answers; an API token is checked against a Deployment: add --deployment ORG/NAME';
      } else {
        const { items } = await api.listOrganizations();
        checked = `it sees ${items.length} organization${
          items.length === 1 ? '' : 's'
        }${items.length ? ` (${items.map(o => o.name).join(', ')})` : ''}`;
      }

      const file = await writeConfig(io, { ...stored, url, token });
      if (ctx.json) {
        ctx.result({
          url,
          tokenType: isApiToken(token) ? 'api' : 'backstage',
          configFile: file,
        });
      } else {
        ctx.print(
          `Logged in to ${url} with ${describeToken(token)}: ${checked}.`,
        );
        ctx.print(`Stored in ${file}.`);
      }
    });

  program
    .command('logout')
    .description('Remove the stored token (the portal URL stays)')
    .action(async () => {
      const { io } = ctx;
      const stored = await readConfig(io);
      if (stored.token) {
        const { token: _removed, ...rest } = stored;
        await writeConfig(io, rest);
        ctx.print(`Logged out: removed the token from ${configPath(io)}.`);
      } else {
        ctx.print('Not logged in: no token is stored.');
      }
      if (io.env[ENV.token]) {
        ctx.note(
          `Warning: ${ENV.token} is set; commands still use the token it holds.`,
        );
      }
      ctx.result({ configFile: configPath(io), loggedIn: false });
    });
}
