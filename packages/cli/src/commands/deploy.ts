import path from 'node:path';
import { AstroApiSchemas } from '@airflow-portal/plugin-astro-common';
import { ResponseError } from '@backstage/errors';
import { Command, Option } from 'commander';
import { packDags } from '../bundle/packDags';
import { PortalClient } from '../lib/client';
import { CliContext } from '../lib/context';
import { CliError, ExitCode, UsageError } from '../lib/errors';
import {
  formatBytes,
  formatDuration,
  formatTime,
  shortVersion,
  writeTable,
} from '../lib/output';
import { parseInteger, parseRef, Ref } from '../lib/refs';

type Deploy = AstroApiSchemas['Deploy'];

/** Subcommands of `deploy` (which has none itself) get it back. */
const HELP_OPTION = ['-h, --help', 'display help for command'] as const;

/** The default of `--timeout`, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** Polls start quick and slow down to this. */
const POLL_INTERVALS_MS = [1000, 2000, 3000, 5000];

/** One line about a deploy, for `inspect` and progress. */
export function describeDeployLine(deploy: Deploy): string {
  const what = [
    deploy.type,
    deploy.type !== 'DAG' ? deploy.image : undefined,
    deploy.bundle ? shortVersion(deploy.bundle.version) : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return `${deploy.id}  ${deploy.status.padEnd(11)}  ${formatTime(
    deploy.createdAt,
  )}  ${what}${deploy.rollbackOf ? ` (rollback to ${deploy.rollbackOf})` : ''}${
    deploy.description ? `  "${deploy.description}"` : ''
  }`;
}

function isTransient(error: unknown): boolean {
  if (error instanceof ResponseError) {
    const status = error.response.status;
    return status >= 500 || status === 429;
  }
  return error instanceof TypeError;
}

/**
 * Polls a deploy until it is DEPLOYED or FAILED, telling each change of
 * status or reason. Passing network trouble and 5xx answers are retried
 * until the timeout.
 */
export async function waitForDeploy(
  ctx: CliContext,
  portal: PortalClient,
  ref: Ref,
  created: Deploy,
  timeoutSeconds: number,
): Promise<{ deploy: Deploy; timedOut: boolean }> {
  const { io } = ctx;
  const started = io.now();
  const deadline = started + timeoutSeconds * 1000;
  let deploy = created;
  let last = `${deploy.status} ${deploy.statusReason ?? ''}`;
  let poll = 0;
  let troubleShown = false;
  ctx.note(
    `Waiting for the deploy to be DEPLOYED (up to ${formatDuration(
      timeoutSeconds * 1000,
    )})...`,
  );
  while (deploy.status === 'INITIALIZED') {
    const remaining = deadline - io.now();
    if (remaining <= 0) {
      return { deploy, timedOut: true };
    }
    const interval =
      POLL_INTERVALS_MS[Math.min(poll, POLL_INTERVALS_MS.length - 1)];
    poll += 1;
    await io.sleep(Math.min(interval, remaining));
    try {
      deploy = await portal.api.getDeploy({
        path: { org: ref.org, dep: ref.name, deploy: created.id },
      });
      troubleShown = false;
    } catch (error) {
      if (!isTransient(error)) {
        throw error;
      }
      if (!troubleShown) {
        ctx.note(
          `  The portal did not answer (${
            error instanceof Error ? error.message : String(error)
          }); trying again`,
        );
        troubleShown = true;
      }
      continue;
    }
    const now = `${deploy.status} ${deploy.statusReason ?? ''}`;
    if (now !== last) {
      ctx.note(
        `  ${formatDuration(io.now() - started).padStart(6)}  ${deploy.status}${
          deploy.statusReason ? `: ${deploy.statusReason}` : ''
        }`,
      );
      last = now;
    }
  }
  return { deploy, timedOut: false };
}

/** Prints how a deploy ended and turns FAILED or a timeout into exit 3. */
async function finish(
  ctx: CliContext,
  portal: PortalClient,
  ref: Ref,
  created: Deploy,
  options: { wait: boolean; timeout?: string },
) {
  const target = `${ref.org}/${ref.name}`;
  if (!options.wait) {
    ctx.result(created);
    ctx.print(
      `Deploy ${created.id} to ${target} is ${created.status}; follow it with \`airflow-portal deploy list ${target}\`.`,
    );
    return;
  }
  const timeout = options.timeout
    ? parseInteger(options.timeout, '--timeout', { min: 1, max: 86400 })
    : DEFAULT_TIMEOUT_SECONDS;
  const started = ctx.io.now();
  const { deploy, timedOut } = await waitForDeploy(
    ctx,
    portal,
    ref,
    created,
    timeout,
  );
  ctx.result(deploy);
  if (timedOut) {
    throw new CliError(
      `Deploy ${deploy.id} is still ${deploy.status} after ${formatDuration(
        timeout * 1000,
      )}${
        deploy.statusReason ? ` (${deploy.statusReason})` : ''
      }; it goes on in the portal: \`airflow-portal deploy list ${target}\``,
      ExitCode.DeployFailed,
    );
  }
  if (deploy.status === 'FAILED') {
    throw new CliError(
      `Deploy ${deploy.id} to ${target} FAILED: ${
        deploy.statusReason ?? 'no reason given'
      }`,
      ExitCode.DeployFailed,
    );
  }
  ctx.print(
    `Deployed to ${target} in ${formatDuration(ctx.io.now() - started)}: ${
      deploy.type
    }${deploy.type !== 'DAG' ? ` ${deploy.image}` : ''}${
      deploy.bundle ? ` bundle ${deploy.bundle.version}` : ''
    } (deploy ${deploy.id}).`,
  );
}

/** Reports upload progress: a moving line on a terminal, quarters in logs. */
function uploadReporter(ctx: CliContext) {
  const tty = Boolean(ctx.io.stderr.isTTY);
  let quarter = 0;
  return {
    listener(sent: number, total: number) {
      const percent = Math.floor((sent / total) * 100);
      const text = `Uploading ${formatBytes(sent)} of ${formatBytes(
        total,
      )} (${percent}%)`;
      if (tty) {
        ctx.io.stderr.write(`\r${text}\x1b[K`);
        return;
      }
      const reached = Math.floor(percent / 25);
      if (reached > quarter || sent === total) {
        quarter = Math.max(reached, quarter + (sent === total ? 1 : 0));
        ctx.note(text);
      }
    },
    end() {
      if (tty) {
        ctx.io.stderr.write('\r\x1b[K');
      }
    },
  };
}

interface DeployOptions {
  dags?: boolean;
  image?: string;
  airflowVersion?: string;
  description?: string;
  projectDir: string;
  wait: boolean;
  timeout?: string;
}

async function deployCode(
  ctx: CliContext,
  refText: string,
  options: DeployOptions,
) {
  const ref = parseRef(refText, 'DEPLOYMENT');
  if (!options.dags && !options.image) {
    throw new UsageError(
      "Say what to deploy: --dags (the project's dags/ folder), --image REF, or both",
    );
  }
  if (options.airflowVersion && !options.image) {
    throw new UsageError(
      '--airflow-version: only with --image (the Airflow version the image is built on)',
    );
  }
  if (options.timeout) {
    parseInteger(options.timeout, '--timeout', { min: 1, max: 86400 });
  }
  const portal = await ctx.portal();
  const pathParams = { org: ref.org, dep: ref.name };
  let created: Deploy;
  if (options.dags) {
    const dagsDir = path.resolve(ctx.io.cwd, options.projectDir, 'dags');
    ctx.note(`Packing ${dagsDir}...`);
    const bundle = await packDags(dagsDir);
    const unpacked = bundle.files.reduce((sum, f) => sum + f.size, 0);
    for (const skipped of bundle.skipped) {
      ctx.note(`  skipped ${skipped}`);
    }
    if (!bundle.files.length) {
      ctx.note(
        'Warning: dags/ has no files; the Deployment will serve no DAGs after this deploy',
      );
    }
    ctx.note(
      `Packed ${bundle.files.length} file${
        bundle.files.length === 1 ? '' : 's'
      } (${formatBytes(unpacked)}) into ${formatBytes(bundle.bytes.length)}, ${
        bundle.checksum
      }`,
    );
    const reporter = uploadReporter(ctx);
    const uploadStart = ctx.io.now();
    portal.onUpload(reporter.listener);
    try {
      created = await portal.api.createDeploy({
        path: pathParams,
        query: {
          type: options.image ? 'IMAGE_AND_DAG' : 'DAG',
          ...(options.image ? { image: options.image } : {}),
          ...(options.airflowVersion
            ? { airflowVersion: options.airflowVersion }
            : {}),
          ...(options.description !== undefined
            ? { description: options.description }
            : {}),
          origin: ctx.origin,
          checksum: bundle.checksum,
        },
        body: bundle.bytes,
      });
    } finally {
      portal.onUpload(undefined);
      reporter.end();
    }
    ctx.note(
      `Uploaded ${formatBytes(bundle.bytes.length)} in ${formatDuration(
        ctx.io.now() - uploadStart,
      )}`,
    );
  } else {
    created = await portal.api.createDeploy({
      path: pathParams,
      body: {
        type: 'IMAGE',
        image: options.image!,
        ...(options.airflowVersion
          ? { airflowVersion: options.airflowVersion }
          : {}),
        ...(options.description !== undefined
          ? { description: options.description }
          : {}),
        origin: ctx.origin,
      },
    });
  }
  ctx.note(`Deploy ${created.id} created: ${created.type}, ${created.status}`);
  await finish(ctx, portal, ref, created, options);
}

function addWaitOptions(command: Command): Command {
  return command
    .option('--wait', 'wait until the deploy is DEPLOYED or FAILED (default)')
    .option('--no-wait', 'return once the deploy is accepted')
    .option(
      '--timeout <seconds>',
      `how long to wait (default ${DEFAULT_TIMEOUT_SECONDS})`,
    );
}

export function registerDeployCommands(program: Command, ctx: CliContext) {
  // `deploy ORG/NAME` is a hidden default subcommand, so that `deploy`
  // itself has no options: its subcommands take options of the same names
  // (--wait, --description), which a parent would take from them.
  const deploy = program
    .command('deploy')
    .description(
      "Deploy DAGs (the project's dags/ folder), an image, or both to a Deployment; list and roll back deploys",
    )
    .usage(
      '[options] <org/name> | list <org/name> | rollback <org/name> <deploy-id>',
    )
    // `deploy --help` shows the default subcommand's help.
    .helpOption(false);

  const code = addWaitOptions(
    deploy
      .command('code', { isDefault: true, hidden: true })
      .helpOption(...HELP_OPTION)
      .description(
        "Deploy DAGs (the project's dags/ folder), an image, or both to a Deployment",
      )
      .argument('[org/name]', 'the Deployment, e.g. acme/prod-etl')
      .option(
        '--dags',
        'deploy the dags/ folder of the project (a DAG deploy: nothing restarts)',
      )
      .option(
        '--image <ref>',
        'roll the Airflow components to this image (an image deploy)',
      )
      .option(
        '--airflow-version <version>',
        'with --image: the Airflow version it is built on',
      )
      .option('--description <text>', 'what the deploy changes')
      .addOption(
        new Option(
          '--project-dir <dir>',
          'the project folder, holding dags/',
        ).default('.'),
      ),
  );
  code
    .configureHelp({
      ...program.configureHelp(),
      commandUsage: () => 'airflow-portal deploy [options] <org/name>',
    })
    .addHelpText(
      'after',
      `
Also:
  airflow-portal deploy list <org/name>                  the deploys of a Deployment
  airflow-portal deploy rollback <org/name> <deploy-id>  deploy an earlier deploy again

Exit codes: 0 DEPLOYED (or accepted, with --no-wait); 1 refused by the
portal; 2 wrong command line; 3 FAILED or still not DEPLOYED at the timeout.

Examples:
  $ airflow-portal deploy acme/prod-etl --dags
  $ airflow-portal deploy acme/prod-etl --image registry.example.com/etl:1.4.0
  $ airflow-portal deploy acme/prod-etl --dags --image registry.example.com/etl:1.4.0 \\
      --description "New pandas, billing DAGs" --timeout 900`,
    )
    .action(async (refText: string | undefined, options: DeployOptions) => {
      if (!refText) {
        throw new UsageError(
          'deploy: missing the Deployment (ORG/NAME), or a subcommand: list, rollback',
        );
      }
      await deployCode(ctx, refText, {
        ...options,
        wait: options.wait !== false,
      });
    });

  deploy
    .command('list')
    .helpOption(...HELP_OPTION)
    .description('List the deploys of a Deployment, newest first')
    .argument('<org/name>', 'the Deployment')
    .option('--limit <n>', 'how many (default 20)')
    .action(async (refText: string, options: { limit?: string }) => {
      const ref = parseRef(refText, 'DEPLOYMENT');
      const limit = options.limit
        ? parseInteger(options.limit, '--limit', { min: 1, max: 10000 })
        : 20;
      const { api } = await ctx.portal();
      const deploys: Deploy[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listDeploys({
          path: { org: ref.org, dep: ref.name },
          query: { limit: Math.min(500, limit - deploys.length), cursor },
        });
        deploys.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && deploys.length < limit);
      const shown = deploys.slice(0, limit);
      ctx.result(shown);
      if (ctx.json) return;
      if (!shown.length) {
        ctx.print(`No deploys to ${ref.org}/${ref.name} yet.`);
        return;
      }
      writeTable(
        ctx.io.stdout,
        [
          'ID',
          'TYPE',
          'STATUS',
          'CREATED',
          'ORIGIN',
          'BY',
          'IMAGE',
          'DAG BUNDLE',
          'DESCRIPTION',
        ],
        shown.map(d => [
          d.id,
          d.type,
          d.status,
          formatTime(d.createdAt),
          d.origin,
          d.createdBy,
          d.image,
          shortVersion(d.bundle?.version),
          `${d.rollbackOf ? `rollback to ${d.rollbackOf}. ` : ''}${
            d.description
          }` || '-',
        ]),
      );
    });

  addWaitOptions(
    deploy
      .command('rollback')
      .helpOption(...HELP_OPTION)
      .description(
        'Deploy again the image and DAG bundle of an earlier deploy (within the retention period)',
      )
      .argument('<org/name>', 'the Deployment')
      .argument('<deploy-id>', 'the deploy to go back to (see `deploy list`)')
      .option('--description <text>', 'why'),
  ).action(
    async (
      refText: string,
      deployId: string,
      options: { description?: string; wait?: boolean; timeout?: string },
    ) => {
      const ref = parseRef(refText, 'DEPLOYMENT');
      if (options.timeout) {
        parseInteger(options.timeout, '--timeout', { min: 1, max: 86400 });
      }
      const portal = await ctx.portal();
      const created = await portal.api.rollbackDeploy({
        path: { org: ref.org, dep: ref.name, deploy: deployId },
        body: {
          ...(options.description !== undefined
            ? { description: options.description }
            : {}),
          origin: ctx.origin,
        },
      });
      ctx.note(
        `Rollback ${created.id} to deploy ${deployId} created: ${created.type}, ${created.status}`,
      );
      await finish(ctx, portal, ref, created, {
        wait: options.wait !== false,
        timeout: options.timeout,
      });
    },
  );
}
