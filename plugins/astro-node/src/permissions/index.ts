export * from './resource';
export * from './rules';
export * from './conditions';
export {
  CatalogMembership,
  DEFAULT_MEMBERSHIP_CACHE_SECONDS,
  normalizePrincipalRef,
} from './CatalogMembership';
