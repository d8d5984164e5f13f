/**
 * Extension points of the Astro backend: cluster sources and drivers, and
 * metadata-database provisioners.
 *
 * @packageDocumentation
 */

export * from './clusters';
export * from './databases';
export * from './permissions/resource';
export * from './client';
