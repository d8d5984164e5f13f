export * from './types';
export * from './errors';
export * from './drivers';
export * from './extensionPoint';
export * from './clusterSettings';
