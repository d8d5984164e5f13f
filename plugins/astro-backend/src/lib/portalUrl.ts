import { Config } from '@backstage/config';

/**
 * The portal's Astro pages: `app.baseUrl` plus `astro.portal.frontendPath`
 * (default `/astro`); `undefined` without `app.baseUrl`.
 */
export function portalFrontendBaseUrl(config: Config): string | undefined {
  if (!config.has('app.baseUrl')) {
    return undefined;
  }
  return `${config.getString('app.baseUrl').replace(/\/+$/, '')}${
    config.getOptionalString('astro.portal.frontendPath') ?? '/astro'
  }`;
}
