import { z } from 'zod';
import { LIMITS } from '../limits';
import { DNS_1123_LABEL, DNS_1123_LABEL_MESSAGE } from '../names';

/*
 * The value types of the Astro API, in zod. The OpenAPI document takes them
 * from here (`yarn generate` writes them into its `components.schemas`
 * under the `id` each carries), so a limit or a pattern is defined once.
 */

/**
 * A DNS-1123 label of at most `maxLength` characters, with the messages the
 * API and the forms show.
 */
export function dnsLabelSchema(maxLength: number) {
  return z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty', abort: true })
    .max(maxLength, {
      error: `must be at most ${maxLength} characters`,
      abort: true,
    })
    .regex(DNS_1123_LABEL, { error: DNS_1123_LABEL_MESSAGE });
}

/**
 * The immutable name of an Organization, Workspace, Deployment or Cluster.
 *
 * @public
 */
export const resourceNameSchema = dnsLabelSchema(
  LIMITS.resourceNameLength,
).meta({
  id: 'ResourceName',
  description: `Immutable name: a lowercase DNS-1123 label (letters, digits, "-") of at most ${LIMITS.resourceNameLength} characters, unique in its parent.`,
  example: 'data-eng',
});

/**
 * A display name.
 *
 * @public
 */
export const titleSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(LIMITS.titleLength, {
    error: `must be at most ${LIMITS.titleLength} characters`,
  })
  .meta({
    id: 'Title',
    description: 'Display name; defaults to the name.',
    example: 'Data Engineering',
  });

/**
 * Free text shown in the portal.
 *
 * @public
 */
export const descriptionSchema = z
  .string({ error: 'must be a string' })
  .max(LIMITS.descriptionLength, {
    error: `must be at most ${LIMITS.descriptionLength} characters`,
  })
  .meta({
    id: 'Description',
    description: 'Free text shown in the portal.',
    example: 'Ingestion pipelines of the data engineering team',
  });

/**
 * The entity ref of an owning Backstage group (or user).
 *
 * @public
 */
export const ownerRefSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(LIMITS.entityRefLength, {
    error: `must be at most ${LIMITS.entityRefLength} characters`,
  })
  .regex(/^\S+$/, { error: 'must not contain spaces' })
  .meta({
    id: 'OwnerRef',
    description: 'Entity ref of the owning Backstage group.',
    example: 'group:default/data-engineering',
  });
