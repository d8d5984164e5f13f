export * from './resources';
export * from './requests';
export * from './monitoring';
