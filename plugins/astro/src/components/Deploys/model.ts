import type {
  AstroApiSchemas,
  Deployment,
} from '@airflow-portal/plugin-astro-common';
import { actorName } from '../common/format';

/** A deploy of code to a Deployment. */
export type Deploy = AstroApiSchemas['Deploy'];
/** What a deploy deploys. */
export type DeployType = Deploy['type'];
/** An API token, without its value. */
export type ApiToken = AstroApiSchemas['ApiToken'];

/** How many hex digits of a bundle version are shown. */
const SHORT_HEX = 12;

/** `sha256:9f86d081884c` for `sha256:9f86d081884c7d65…`. */
export function shortVersion(version: string): string {
  const [algorithm, hex] = version.includes(':')
    ? version.split(':', 2)
    : ['', version];
  const short = hex.slice(0, SHORT_HEX);
  return algorithm ? `${algorithm}:${short}` : short;
}

/** A size in bytes as people read it: `512 B`, `20.0 KiB`, `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** What each deploy type changes, in words. */
export const DEPLOY_TYPE_LABEL: Record<DeployType, string> = {
  IMAGE: 'Image',
  DAG: 'DAGs',
  IMAGE_AND_DAG: 'Image and DAGs',
};

/** Raised when the browser cannot compute a checksum. */
export class ChecksumUnavailableError extends Error {
  constructor() {
    super(
      'This browser cannot compute the checksum here: Web Crypto is only available on pages served over HTTPS (or from localhost). Deploy with the CLI instead, or open the portal over HTTPS.',
    );
    this.name = 'ChecksumUnavailableError';
  }
}

/**
 * The checksum the API asks for with a bundle: `sha256:<64 hex digits>` of
 * the bytes exactly as they are sent, computed with Web Crypto.
 */
export async function bundleChecksum(bytes: ArrayBuffer): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new ChecksumUnavailableError();
  }
  const digest = await subtle.digest('SHA-256', bytes);
  const hex = Array.from(new Uint8Array(digest), byte =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return `sha256:${hex}`;
}

/** Whether bytes start like a gzip stream (RFC 1952 magic number). */
export function isGzip(bytes: ArrayBuffer): boolean {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Whether a file name looks like a gzip-compressed tar archive. */
export function looksLikeTarGz(name: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(name);
}

const TOKEN_PREFIX = 'token:';

/**
 * Who made a deploy, as a person reads it: a user's name, or an API
 * token's name when the token is among those the user may list (else the
 * start of its id).
 */
export function deployAuthor(
  createdBy: string,
  tokens: ReadonlyMap<string, ApiToken>,
): { label: string; token: boolean } {
  if (createdBy.startsWith(TOKEN_PREFIX)) {
    const id = createdBy.slice(TOKEN_PREFIX.length);
    const token = tokens.get(id);
    return {
      label: token ? `API token ${token.name}` : `API token ${id.slice(0, 8)}`,
      token: true,
    };
  }
  return { label: actorName(createdBy), token: false };
}

/**
 * The deploy the Deployment runs now: the newest one that succeeded.
 * Rolling back to it would change nothing.
 */
export function currentDeployId(deploys: Deploy[]): string | undefined {
  return deploys.find(deploy => deploy.status === 'DEPLOYED')?.id;
}

/** The id of a deploy's row in the history, for links to it. */
export function deployRowId(id: string): string {
  return `astro-deploy-${id}`;
}

/**
 * Why the portal offers no DAG deploy for a Deployment, if it does not:
 * its DAGs come from Git, or it takes deploys from CI/CD only. The backend
 * refuses such deploys (409) anyway.
 */
export function dagDeployBlocker(deployment: Deployment): string | undefined {
  if (deployment.settings.gitDagBundle) {
    return 'The DAGs come from Git: push to the repository to change them.';
  }
  if (deployment.settings.isCicdEnforced) {
    return 'This Deployment takes deploys from CI/CD only: deploy with an API token (see below).';
  }
  return undefined;
}

/**
 * Why a deploy cannot be rolled back to from the portal, if it cannot:
 * what the backend is known to refuse (CI/CD only; DAGs while they come
 * from Git) and what would make no sense (what runs now, a deploy that
 * did not succeed).
 */
export function rollbackBlocker(
  deployment: Deployment,
  deploy: Deploy,
  current: boolean,
): string | undefined {
  if (current) {
    return 'Runs now';
  }
  if (deploy.status === 'FAILED') {
    return 'Failed: nothing to go back to';
  }
  if (deploy.status !== 'DEPLOYED') {
    return 'Still rolling out';
  }
  if (deployment.settings.isCicdEnforced) {
    return 'CI/CD only: roll back with an API token';
  }
  if (deployment.settings.gitDagBundle && deploy.bundle) {
    return 'The DAGs come from Git now';
  }
  return undefined;
}
