export { OrganizationPage } from './OrganizationPage';
