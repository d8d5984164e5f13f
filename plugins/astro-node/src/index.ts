/**
 * Extension points of the Astro backend (cluster sources and drivers,
 * metadata-database provisioners, the DAG bundle store) and the contract of the change events it
 * publishes on the events service.
 *
 * @packageDocumentation
 */

export * from './bundles';
export * from './clusters';
export * from './databases';
export * from './events';
export * from './permissions';
export * from './client';
