export * from './values';
export * from './jsonSchemas';
export * from './zodV3';
