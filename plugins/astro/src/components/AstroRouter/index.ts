export { AstroRoutes, AstroLegacyPage } from './AstroRouter';
