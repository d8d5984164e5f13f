export * from './createAstroApiClient';
