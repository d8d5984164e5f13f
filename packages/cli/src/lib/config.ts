import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CliError, UsageError } from './errors';
import { CliIo } from './io';

/** What `login` stores. */
export interface StoredConfig {
  /** The portal backend's URL, e.g. `https://portal.example.com`. */
  url?: string;
  /** An API token (`astro_…`) or a Backstage token. */
  token?: string;
}

/** The environment variables that override the config file (for CI). */
export const ENV = {
  url: 'AIRFLOW_PORTAL_URL',
  token: 'AIRFLOW_PORTAL_TOKEN',
  organization: 'AIRFLOW_PORTAL_ORGANIZATION',
} as const;

/**
 * `$XDG_CONFIG_HOME/airflow-portal/config.json`, with XDG's default of
 * `~/.config` when the variable is unset or not absolute.
 */
export function configPath(io: CliIo): string {
  const xdg = io.env.XDG_CONFIG_HOME;
  const base =
    xdg && path.isAbsolute(xdg) ? xdg : path.join(io.homedir, '.config');
  return path.join(base, 'airflow-portal', 'config.json');
}

/** The stored config; empty when there is none. */
export async function readConfig(io: CliIo): Promise<StoredConfig> {
  const file = configPath(io);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {};
    }
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(
      `${file} is not valid JSON; run \`airflow-portal login\` again or remove it`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`${file} must hold a JSON object`);
  }
  const { url, token } = parsed as Record<string, unknown>;
  const config: StoredConfig = {};
  if (typeof url === 'string') config.url = url;
  if (typeof token === 'string') config.token = token;
  if (config.token && process.platform !== 'win32') {
    const { mode } = await fs.stat(file);
    if ((mode & 0o077) !== 0) {
      io.stderr.write(
        `Warning: ${file} holds a token and can be read by other users; run chmod 600 on it\n`,
      );
    }
  }
  return config;
}

/**
 * Writes the config file readable by its owner only (0600, in a 0700
 * folder), replacing it atomically so that no reader sees half a file.
 */
export async function writeConfig(
  io: CliIo,
  config: StoredConfig,
): Promise<string> {
  const file = configPath(io);
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`);
    // The mode given to open is reduced by the umask; make sure.
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
  return file;
}

/** Where the portal is and which token to send, and where each came from. */
export interface Target {
  url: string;
  token: string;
  sources: { url: string; token: string };
}

/**
 * The portal URL and token of this run: the `--url`/`--token` options, else
 * `AIRFLOW_PORTAL_URL`/`AIRFLOW_PORTAL_TOKEN`, else the config file.
 */
export async function resolveTarget(
  io: CliIo,
  options: { url?: string; token?: string },
): Promise<Target> {
  const config = await readConfig(io);
  const pick = (
    flag: string | undefined,
    variable: string,
    stored: string | undefined,
    option: string,
  ): { value?: string; source: string } => {
    if (flag) return { value: flag, source: `--${option}` };
    const fromEnv = io.env[variable];
    if (fromEnv) return { value: fromEnv, source: variable };
    if (stored) return { value: stored, source: configPath(io) };
    return { source: '' };
  };
  const url = pick(options.url, ENV.url, config.url, 'url');
  const token = pick(options.token, ENV.token, config.token, 'token');
  if (!url.value || !token.value) {
    const missing = [
      !url.value && `no portal URL (--url or ${ENV.url})`,
      !token.value && `no token (--token or ${ENV.token})`,
    ].filter(Boolean);
    throw new UsageError(
      `Not logged in: ${missing.join(
        ' and ',
      )}. Run \`airflow-portal login --url URL\` or set the environment variables`,
    );
  }
  return {
    url: url.value,
    token: token.value,
    sources: { url: url.source, token: token.source },
  };
}
