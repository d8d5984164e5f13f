export { astroApiRef } from './AstroApi';
export type { AstroApi } from './AstroApi';
export { AstroClient } from './AstroClient';
