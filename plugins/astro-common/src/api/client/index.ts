export * from './AstroApiClientBase';
export * from '../generated/client';
