import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  AstroApiClient,
  AstroApiSchemas,
  Deployment,
  ifFound,
} from '@airflow-portal/plugin-astro-common';
import { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ENV } from '../lib/config';
import { CliContext } from '../lib/context';
import { CliError, describeError, UsageError } from '../lib/errors';
import {
  formatTime,
  shortVersion,
  writeFields,
  writeTable,
} from '../lib/output';
import { parseInteger, parseRef, Ref } from '../lib/refs';
import { describeDeployLine } from './deploy';

type SettingsInput = AstroApiSchemas['DeploymentSettingsInput'];

/** The flags of `create` and `update` that set common settings. */
interface SettingsFlags {
  title?: string;
  description?: string;
  owner?: string;
  airflowVersion?: string;
  executor?: 'CELERY' | 'KUBERNETES';
  schedulerSize?: 'SMALL' | 'MEDIUM' | 'LARGE' | 'EXTRA_LARGE';
  highAvailability?: boolean;
  cicdEnforced?: boolean;
  contactEmail?: string[];
  workerGracePeriod?: string;
}

function addSettingsFlags(command: Command): Command {
  return command
    .option('--title <text>', 'display name')
    .option('--description <text>', 'free text shown in the portal')
    .option('--owner <group>', 'owning group, e.g. group:default/data-eng')
    .option(
      '--airflow-version <version>',
      'Airflow version (see the portal for the supported ones)',
    )
    .addOption(
      new Option('--executor <executor>', 'executor').choices([
        'CELERY',
        'KUBERNETES',
      ]),
    )
    .addOption(
      new Option('--scheduler-size <size>', 'scheduler resources').choices([
        'SMALL',
        'MEDIUM',
        'LARGE',
        'EXTRA_LARGE',
      ]),
    )
    .option('--high-availability', 'run two schedulers')
    .option('--no-high-availability', 'run one scheduler')
    .option(
      '--cicd-enforced',
      'refuse deploys not made with an API token (CI/CD only)',
    )
    .option('--no-cicd-enforced', 'accept deploys made by people too')
    .option(
      '--contact-email <email...>',
      'who gets alerts (replaces the list; repeat for several)',
    )
    .option(
      '--worker-grace-period <seconds>',
      'seconds running tasks get to finish when a worker stops',
    );
}

function settingsFromFlags(flags: SettingsFlags): SettingsInput {
  const settings: SettingsInput = {};
  if (flags.airflowVersion !== undefined)
    settings.airflowVersion = flags.airflowVersion;
  if (flags.executor !== undefined) settings.executor = flags.executor;
  if (flags.schedulerSize !== undefined)
    settings.schedulerSize = flags.schedulerSize;
  if (flags.highAvailability !== undefined)
    settings.highAvailability = flags.highAvailability;
  if (flags.cicdEnforced !== undefined)
    settings.isCicdEnforced = flags.cicdEnforced;
  if (flags.contactEmail !== undefined)
    settings.contactEmails = flags.contactEmail;
  if (flags.workerGracePeriod !== undefined) {
    settings.workerGracePeriodSeconds = parseInteger(
      flags.workerGracePeriod,
      '--worker-grace-period',
      { min: 0 },
    );
  }
  return settings;
}

function hasSettingsFlags(flags: SettingsFlags): boolean {
  return (
    Object.keys(settingsFromFlags(flags)).length > 0 ||
    flags.title !== undefined ||
    flags.description !== undefined ||
    flags.owner !== undefined
  );
}

/**
 * The organization of a command: `--organization`, else
 * AIRFLOW_PORTAL_ORGANIZATION, else the only one the caller can see.
 */
async function resolveOrganization(
  ctx: CliContext,
  api: AstroApiClient,
  option: string | undefined,
): Promise<string> {
  const chosen = option ?? ctx.io.env[ENV.organization];
  if (chosen) {
    return chosen;
  }
  const { items } = await api.listOrganizations();
  if (items.length === 1) {
    return items[0].name;
  }
  throw new UsageError(
    `--organization is required: you can see ${items.length} organizations${
      items.length ? ` (${items.map(o => o.name).join(', ')})` : ''
    }`,
  );
}

/** Every page of an organization's Deployments. */
async function listAllDeployments(
  api: AstroApiClient,
  org: string,
  workspace: string | undefined,
): Promise<Deployment[]> {
  const all: Deployment[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listDeployments({
      path: { org },
      query: { ...(workspace ? { workspace } : {}), limit: 500, cursor },
    });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** A deployment file's text and the name it declares, if any. */
async function readDeploymentFile(
  ctx: CliContext,
  file: string,
): Promise<{ text: string; name?: string; workspace?: string }> {
  const full = path.resolve(ctx.io.cwd, file);
  let text: string;
  try {
    text = await fs.readFile(full, 'utf8');
  } catch (error) {
    throw new CliError(
      `--deployment-file: cannot read ${full}: ${
        (error as NodeJS.ErrnoException).code ?? (error as Error).message
      }`,
    );
  }
  // Only the name is read here; the portal validates the whole file and
  // names each problem's path.
  try {
    const document = parseYaml(text, { maxAliasCount: 10 }) as {
      metadata?: { name?: unknown; workspace?: unknown };
    } | null;
    const name = document?.metadata?.name;
    const workspace = document?.metadata?.workspace;
    return {
      text,
      name: typeof name === 'string' ? name : undefined,
      workspace: typeof workspace === 'string' ? workspace : undefined,
    };
  } catch {
    return { text };
  }
}

function summarizeQueues(deployment: Deployment): string {
  const queues = deployment.settings.workerQueues;
  if (deployment.settings.executor !== 'CELERY' || !queues.length) {
    return '-';
  }
  return queues
    .map(
      q =>
        `${q.name}${q.isDefault ? ' (default)' : ''}: ${q.workerSize}, ${
          q.minWorkers
        }-${q.maxWorkers} workers, concurrency ${q.concurrency}`,
    )
    .join('; ');
}

function writeDeployment(ctx: CliContext, deployment: Deployment) {
  const out = ctx.io.stdout;
  const s = deployment.settings;
  const secrets = s.environmentVariables.filter(v => v.secret).length;
  out.write(`${deployment.organization}/${deployment.name}\n`);
  writeFields(out, [
    ['Title', deployment.title],
    ['Description', deployment.description || '-'],
    ['Workspace', deployment.workspace],
    ['Owner', deployment.owner],
    ['Cluster', deployment.cluster],
    ['Namespace', deployment.namespace],
    [
      'Status',
      `${deployment.status}${
        deployment.statusReason ? ` (${deployment.statusReason})` : ''
      } since ${formatTime(deployment.statusChangedAt)}`,
    ],
    [
      'Generation',
      `${deployment.generation} (observed ${deployment.observedGeneration})`,
    ],
    ['Airflow UI', deployment.airflowUrl],
    ['Image', deployment.image],
    ['DAG bundle', deployment.dagBundleVersion ?? 'none deployed yet'],
    ['Version', deployment.version],
  ]);
  out.write('Settings\n');
  writeFields(out, [
    ['Airflow version', s.airflowVersion],
    ['Executor', s.executor],
    [
      'Scheduler',
      `${s.schedulerSize}${s.highAvailability ? ', high availability' : ''}`,
    ],
    ['Worker queues', summarizeQueues(deployment)],
    [
      'Task pod size',
      `${s.defaultTaskPodSize.cpu} CPU, ${s.defaultTaskPodSize.memory}`,
    ],
    ['Resource quota', `${s.resourceQuota.cpu} CPU, ${s.resourceQuota.memory}`],
    ['Worker grace period', `${s.workerGracePeriodSeconds} s`],
    [
      'Environment variables',
      `${s.environmentVariables.length}${
        secrets ? ` (${secrets} secret)` : ''
      }`,
    ],
    ['Contact e-mails', s.contactEmails.join(', ') || '-'],
    ['CI/CD enforced', s.isCicdEnforced ? 'yes' : 'no'],
    [
      'DAGs from Git',
      s.gitDagBundle
        ? `${s.gitDagBundle.repositoryUrl} ${s.gitDagBundle.ref}${
            s.gitDagBundle.subdirectory ? `:${s.gitDagBundle.subdirectory}` : ''
          }`
        : 'no (DAG deploys)',
    ],
    ['Hibernation schedules', s.hibernation.schedules.length],
  ]);
}

async function confirmDeletion(ctx: CliContext, ref: Ref, yes?: boolean) {
  if (yes) {
    return;
  }
  if (!ctx.interactive) {
    throw new UsageError(
      `Deleting ${ref.org}/${ref.name} needs --yes when there is no terminal to confirm on`,
    );
  }
  const answer = await ctx.readLine(
    `Delete ${ref.org}/${ref.name} with its Airflow metadata database? Type its name to confirm: `,
  );
  if (answer !== ref.name) {
    throw new CliError('Not deleted: the name did not match', 1);
  }
}

export function registerDeploymentCommands(program: Command, ctx: CliContext) {
  const deployment = program
    .command('deployment')
    .description('List, inspect, create, update and delete Deployments');

  deployment
    .command('list')
    .description(
      'List Deployments (of every organization you can see by default)',
    )
    .option(
      '--organization <org>',
      `only this organization (or ${ENV.organization})`,
    )
    .option('--workspace <ws>', 'only this workspace (needs an organization)')
    .action(async (options: { organization?: string; workspace?: string }) => {
      const { api } = await ctx.portal();
      let orgs: string[];
      const org = options.organization ?? ctx.io.env[ENV.organization];
      if (org) {
        orgs = [org];
      } else if (options.workspace) {
        orgs = [await resolveOrganization(ctx, api, undefined)];
      } else {
        orgs = (await api.listOrganizations()).items.map(o => o.name);
      }
      const deployments: Deployment[] = [];
      for (const name of orgs) {
        deployments.push(
          ...(await listAllDeployments(api, name, options.workspace)),
        );
      }
      ctx.result(deployments);
      if (ctx.json) return;
      if (!deployments.length) {
        ctx.print('No Deployments.');
        return;
      }
      writeTable(
        ctx.io.stdout,
        [
          'DEPLOYMENT',
          'WORKSPACE',
          'STATUS',
          'AIRFLOW',
          'EXECUTOR',
          'CLUSTER',
          'DAG BUNDLE',
        ],
        deployments.map(d => [
          `${d.organization}/${d.name}`,
          d.workspace,
          d.status,
          d.settings.airflowVersion,
          d.settings.executor,
          d.cluster,
          shortVersion(d.dagBundleVersion),
        ]),
      );
    });

  deployment
    .command('inspect')
    .description(
      'Show a Deployment: settings, status, image, DAG bundle version and its last deploys',
    )
    .argument('<org/name>', 'the Deployment, e.g. acme/prod-etl')
    .addHelpText(
      'after',
      '\nWith --json it prints the Deployment object; `deploy list --json` gives its deploys.',
    )
    .action(async (refText: string) => {
      const ref = parseRef(refText, 'DEPLOYMENT');
      const { api } = await ctx.portal();
      const found = await api.getDeployment({
        path: { org: ref.org, dep: ref.name },
      });
      ctx.result(found);
      if (ctx.json) return;
      writeDeployment(ctx, found);
      ctx.io.stdout.write('Last deploys\n');
      try {
        const { items } = await api.listDeploys({
          path: { org: ref.org, dep: ref.name },
          query: { limit: 5 },
        });
        if (!items.length) {
          ctx.io.stdout.write('  none\n');
        }
        for (const deploy of items) {
          ctx.io.stdout.write(`  ${describeDeployLine(deploy)}\n`);
        }
      } catch (error) {
        // The Deployment was shown; say why its deploys are not.
        ctx.io.stdout.write('  unknown\n');
        ctx.note(
          `Warning: could not list the deploys: ${
            describeError(error, ctx.portalUrl).message
          }`,
        );
      }
    });

  addSettingsFlags(
    deployment
      .command('create')
      .description(
        'Create a Deployment from a deployment file (as `deployment export` or the portal exports it) or from flags',
      )
      .option('--deployment-file <file>', 'the YAML deployment file')
      .option(
        '--organization <org>',
        `the organization (or ${ENV.organization}; the only one you can see by default)`,
      )
      .option('--workspace <ws>', 'the workspace (without a deployment file)')
      .option(
        '--name <name>',
        'the Deployment name (without a deployment file)',
      )
      .option(
        '--cluster <cluster>',
        'the cluster; the default one when omitted',
      ),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ airflow-portal deployment create --organization acme --deployment-file prod-etl.yaml
  $ airflow-portal deployment create --organization acme --workspace data-eng --name prod-etl \\
      --executor CELERY --scheduler-size MEDIUM --high-availability`,
    )
    .action(
      async (
        options: SettingsFlags & {
          deploymentFile?: string;
          organization?: string;
          workspace?: string;
          name?: string;
          cluster?: string;
        },
      ) => {
        if (options.deploymentFile) {
          if (
            hasSettingsFlags(options) ||
            options.workspace ||
            options.name ||
            options.cluster
          ) {
            throw new UsageError(
              '--deployment-file: give the settings in the file or as flags, not both',
            );
          }
        } else if (!options.workspace || !options.name) {
          throw new UsageError(
            'Give --deployment-file FILE, or --workspace and --name (with settings flags)',
          );
        }
        const file = options.deploymentFile
          ? await readDeploymentFile(ctx, options.deploymentFile)
          : undefined;
        const { api } = await ctx.portal();
        const org = await resolveOrganization(ctx, api, options.organization);
        const name = file ? file.name : options.name;
        if (name) {
          const existing = await ifFound(
            api.getDeployment({ path: { org, dep: name } }),
          );
          if (existing) {
            throw new CliError(
              `${org}/${name} exists already; change it with \`airflow-portal deployment update ${org}/${name}\``,
            );
          }
        }
        let created: Deployment;
        if (file) {
          created = (
            await api.importDeployment({ path: { org }, body: file.text })
          ).deployment;
        } else {
          const settings = settingsFromFlags(options);
          created = await api.createDeployment({
            path: { org },
            body: {
              name: options.name!,
              workspace: options.workspace!,
              ...(options.cluster ? { cluster: options.cluster } : {}),
              ...(options.title !== undefined ? { title: options.title } : {}),
              ...(options.description !== undefined
                ? { description: options.description }
                : {}),
              ...(options.owner !== undefined ? { owner: options.owner } : {}),
              ...(Object.keys(settings).length ? { settings } : {}),
            },
          });
        }
        ctx.result(created);
        ctx.print(
          `Created ${created.organization}/${created.name} in workspace ${created.workspace} on ${created.cluster}: ${created.status}. Follow it with \`airflow-portal deployment inspect ${created.organization}/${created.name}\`.`,
        );
      },
    );

  addSettingsFlags(
    deployment
      .command('update')
      .description(
        'Change a Deployment: replace its settings with a deployment file, or change the settings given as flags',
      )
      .argument('<org/name>', 'the Deployment')
      .option('--deployment-file <file>', 'the YAML deployment file'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ airflow-portal deployment update acme/prod-etl --deployment-file prod-etl.yaml
  $ airflow-portal deployment update acme/prod-etl --scheduler-size LARGE --cicd-enforced`,
    )
    .action(
      async (
        refText: string,
        options: SettingsFlags & { deploymentFile?: string },
      ) => {
        const ref = parseRef(refText, 'DEPLOYMENT');
        if (options.deploymentFile && hasSettingsFlags(options)) {
          throw new UsageError(
            '--deployment-file: give the settings in the file or as flags, not both',
          );
        }
        if (!options.deploymentFile && !hasSettingsFlags(options)) {
          throw new UsageError(
            'Nothing to change: give --deployment-file FILE or settings flags (see --help)',
          );
        }
        const file = options.deploymentFile
          ? await readDeploymentFile(ctx, options.deploymentFile)
          : undefined;
        if (file?.name !== undefined && file.name !== ref.name) {
          throw new UsageError(
            `--deployment-file: the file describes ${file.name}, not ${ref.name}`,
          );
        }
        const { api } = await ctx.portal();
        const depPath = { org: ref.org, dep: ref.name };
        let updated: Deployment;
        if (file) {
          // Import creates a missing Deployment; update must not.
          await api.getDeployment({ path: depPath });
          updated = (
            await api.importDeployment({
              path: { org: ref.org },
              body: file.text,
            })
          ).deployment;
        } else {
          const settings = settingsFromFlags(options);
          updated = await api.updateDeployment({
            path: depPath,
            body: {
              ...(options.title !== undefined ? { title: options.title } : {}),
              ...(options.description !== undefined
                ? { description: options.description }
                : {}),
              ...(options.owner !== undefined ? { owner: options.owner } : {}),
              ...(Object.keys(settings).length ? { settings } : {}),
            },
          });
        }
        ctx.result(updated);
        ctx.print(
          `Updated ${updated.organization}/${updated.name}: generation ${updated.generation}, ${updated.status}.`,
        );
      },
    );

  deployment
    .command('delete')
    .description(
      'Delete a Deployment with its namespace and Airflow metadata database',
    )
    .argument('<org/name>', 'the Deployment')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (refText: string, options: { yes?: boolean }) => {
      const ref = parseRef(refText, 'DEPLOYMENT');
      const { api } = await ctx.portal();
      const depPath = { org: ref.org, dep: ref.name };
      // Fails with the portal's 404 before asking about a missing one.
      const current = await api.getDeployment({ path: depPath });
      await confirmDeletion(ctx, ref, options.yes);
      const deleted = await api.deleteDeployment({
        path: depPath,
        header: { 'If-Match': String(current.version) },
      });
      ctx.result(deleted);
      ctx.print(
        `Deletion of ${ref.org}/${ref.name} requested: ${deleted.status}.`,
      );
    });

  deployment
    .command('export')
    .description(
      'Print a Deployment as a deployment file (YAML, without secret values)',
    )
    .argument('<org/name>', 'the Deployment')
    .action(async (refText: string) => {
      const ref = parseRef(refText, 'DEPLOYMENT');
      const { api } = await ctx.portal();
      const yaml = await api.exportDeployment({
        path: { org: ref.org, dep: ref.name },
      });
      ctx.io.stdout.write(yaml.endsWith('\n') ? yaml : `${yaml}\n`);
    });

  return deployment;
}
