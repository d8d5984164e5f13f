export * from './constants';
export * from './types';
export * from './schemas';
export * from './refs';
export * from './relations';
export * from './validators';
export * from './portal';
