/**
 * Extension points of the Astro backend: cluster drivers and
 * metadata-database provisioners.
 *
 * @packageDocumentation
 */

export * from './extensions';
