/**
 * Rules for the immutable `name` of every Astro resource.
 *
 * Names are lowercase DNS-1123 labels. They are kept short enough that every
 * Kubernetes name derived from them (namespaces, workload names, label
 * values) stays within Kubernetes' 63-character limit.
 */

import { LIMITS } from './limits';

/**
 * The longest allowed name of an Organization, Workspace, Deployment or
 * Cluster.
 *
 * @public
 */
export const MAX_RESOURCE_NAME_LENGTH = LIMITS.resourceNameLength;

/**
 * The longest allowed name of a worker queue; the worker Deployment is named
 * `worker-<queue>`.
 *
 * @public
 */
export const MAX_QUEUE_NAME_LENGTH = LIMITS.queueNameLength;

/**
 * A lowercase DNS-1123 label: what every resource and queue name is.
 *
 * @public
 */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why a name that is not a DNS-1123 label is refused.
 *
 * @public
 */
export const DNS_1123_LABEL_MESSAGE =
  'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';

/**
 * Explains why `value` is not a valid resource name, or returns `undefined`
 * when it is one.
 *
 * @public
 */
export function describeInvalidName(
  value: string,
  maxLength: number = MAX_RESOURCE_NAME_LENGTH,
): string | undefined {
  if (value.length === 0) {
    return 'must not be empty';
  }
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters`;
  }
  if (!DNS_1123_LABEL.test(value)) {
    return DNS_1123_LABEL_MESSAGE;
  }
  return undefined;
}

/**
 * Whether `value` is a valid resource name.
 *
 * @public
 */
export function isValidResourceName(
  value: unknown,
  maxLength: number = MAX_RESOURCE_NAME_LENGTH,
): value is string {
  return (
    typeof value === 'string' &&
    describeInvalidName(value, maxLength) === undefined
  );
}

/**
 * Names a Deployment may not take: the portal uses them as path segments
 * (`/deployments/new`).
 *
 * @public
 */
export const RESERVED_DEPLOYMENT_NAMES = ['new'];

/**
 * Explains why `value` is not a valid Deployment name, or returns
 * `undefined` when it is one.
 *
 * @public
 */
export function describeInvalidDeploymentName(
  value: string,
): string | undefined {
  if (RESERVED_DEPLOYMENT_NAMES.includes(value)) {
    return `"${value}" is reserved`;
  }
  return describeInvalidName(value);
}
