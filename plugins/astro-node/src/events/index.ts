export * from './resourceChanges';
