/**
 * Shared types, entity kinds, settings schema and permissions of the Astro
 * (Airflow) plugin suite.
 *
 * @packageDocumentation
 */

export * from './limits';
export * from './airflowAccess';
export * from './names';
export * from './contract';
export * from './permissions';
export * from './roles';
export * from './settings';
export * from './kubernetes';
export * from './api';
export * from './kinds';
export * from './liveUpdates';
