export * from './resources';
export * from './requests';
