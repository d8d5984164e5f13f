export * from './schemas';
export * from './resources';
export * from './requests';
export * from './monitoring';
export * from './alerts';
export * from './client';
