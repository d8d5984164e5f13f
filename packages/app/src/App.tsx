import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import astroPlugin from '@airflow-portal/plugin-astro/alpha';
import { navModule } from './modules/nav';

export default createApp({
  features: [catalogPlugin, astroPlugin, navModule],
});
