import { Command, CommanderError } from 'commander';
import { registerDeployCommands } from './commands/deploy';
import { registerDeploymentCommands } from './commands/deployment';
import { registerLoginCommands } from './commands/login';
import {
  registerDeploymentTokenCommands,
  registerWorkspaceCommands,
} from './commands/tokens';
import { CliContext } from './lib/context';
import { describeError, ExitCode } from './lib/errors';
import { CliIo } from './lib/io';
import { writeJson } from './lib/output';
import { CLI_VERSION } from './lib/version';

/** The command tree of one run, writing to the run's streams. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('airflow-portal');
  program
    .description(
      'Airflow Portal from the command line: Deployments, deploys of DAGs and images, API tokens',
    )
    .version(CLI_VERSION, '-V, --version')
    .option(
      '--json',
      "print the API's objects as JSON (progress stays on stderr)",
    )
    .option(
      '--url <url>',
      'the portal backend URL (else AIRFLOW_PORTAL_URL, else the stored one)',
    )
    .option(
      '--token <token>',
      'an API token or Backstage token (else AIRFLOW_PORTAL_TOKEN, else the stored one)',
    )
    .exitOverride()
    .configureOutput({
      writeOut: text => ctx.io.stdout.write(text),
      writeErr: text => ctx.io.stderr.write(text),
    })
    .configureHelp({
      showGlobalOptions: true,
      // The program's options only: `deploy`'s own are not its subcommands'.
      visibleGlobalOptions(command: Command) {
        let root = command;
        while (root.parent) root = root.parent;
        return root === command
          ? []
          : root.options.filter(o => !o.hidden && o.long !== '--version');
      },
    })
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Exit codes:
  0  done
  1  the portal refused or failed the request (its message names the fields), or a local file is wrong
  2  wrong command line, or no portal URL or token
  3  a deploy FAILED, or it was not DEPLOYED within --timeout`,
    );

  registerLoginCommands(program, ctx);
  const deployment = registerDeploymentCommands(program, ctx);
  registerDeploymentTokenCommands(deployment, ctx);
  registerWorkspaceCommands(program, ctx);
  registerDeployCommands(program, ctx);
  return program;
}

/**
 * Runs the CLI with the given arguments (without `node` and the script)
 * and resolves to its exit code; never rejects.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = createProgram(ctx);
  ctx.bind(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander printed its message already; help and --version exit 0.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    const described = describeError(error, ctx.portalUrl);
    if (ctx.json) {
      writeJson(io.stderr, described.body);
    } else {
      io.stderr.write(`Error: ${described.message}\n`);
    }
    return described.exitCode;
  }
}
