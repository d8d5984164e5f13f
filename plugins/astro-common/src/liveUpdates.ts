/**
 * The live-update signals of the Astro backend, sent through Backstage's
 * signals plugin to open pages. A signal says only that something changed
 * and what kind of thing; a page reads the current state again through the
 * permission-checked Astro API.
 */

/**
 * What changed: a Deployment's observed `status` (also when a deploy
 * finished), an `incident` opened or resolved, its `settings` (or a
 * workspace's, on an organization channel), or a resource was `created` or
 * `deleted`.
 *
 * @public
 */
export type AstroLiveChangeKind =
  | 'status'
  | 'incident'
  | 'settings'
  | 'created'
  | 'deleted';

/**
 * The message of a change signal: the kinds of change since the last
 * signal of its channel (changes within a short window are sent as one).
 *
 * @public
 */
export type AstroChangeSignal = {
  kinds: AstroLiveChangeKind[];
};

/**
 * The message of the liveness signal every backend sends on
 * {@link ASTRO_LIVE_CHANNEL}: a page that received one within a few
 * intervals knows that signals reach it.
 *
 * @public
 */
export type AstroLiveSignal = {
  /** Seconds until the sender's next liveness signal. */
  intervalSeconds: number;
};

/**
 * The channel of the backends' liveness signal.
 *
 * @public
 */
export const ASTRO_LIVE_CHANNEL = 'astro:live';

/**
 * The signal channel of one Deployment.
 *
 * @public
 */
export function astroDeploymentChannel(
  organization: string,
  deployment: string,
): string {
  return `astro:deployment:${organization}/${deployment}`;
}

/**
 * The signal channel of an organization: a change of any of its
 * Deployments or workspaces (for pages that list them).
 *
 * @public
 */
export function astroOrganizationChannel(organization: string): string {
  return `astro:organization:${organization}`;
}
