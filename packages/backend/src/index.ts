/*
 * The portal's backend: Backstage's core plugins plus the Astro (Airflow)
 * plugin suite. Every plugin is added with `backend.add(import(...))`.
 */

import { createBackend } from '@backstage/backend-defaults';
import { emailNotifications } from './emailNotifications';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// The events bus: events published by one plugin reach the subscribers of
// other backend processes too (the Astro backend's changes reach the catalog
// provider). On PostgreSQL it keeps them in the shared database and wakes
// the other processes with LISTEN/NOTIFY; on SQLite it is in memory, for
// this process only. See docs/architecture.md.
backend.add(import('@backstage/plugin-events-backend'));

// Sign-in: the guest provider for local use; see app-config.production.yaml.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog, with the Astro kinds and the entity provider of Astro resources.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@airflow-portal/plugin-catalog-backend-module-astro'));

// Software templates, with the Astro actions.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@airflow-portal/plugin-scaffolder-backend-module-astro'));

// Permissions: Astro's role policy decides the astro.* permissions from
// the role bindings on organizations, workspaces and Deployments, and which
// AstroOrganization/AstroWorkspace/AstroDeployment entities each user sees
// in the catalog (and allows the rest of the portal, like the allow-all
// policy did).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@airflow-portal/plugin-permission-backend-module-astro-policy'),
);

// Backstage's Kubernetes plugin, pointed at the same clusters as Astro.
backend.add(import('@backstage/plugin-kubernetes-backend'));

// Signals: pushes messages to open pages over a WebSocket. Astro signals
// status changes and incidents of Deployments with it (pages then poll only
// as a fallback); a signal published by any backend process reaches the
// pages connected to every process through the events bus.
backend.add(import('@backstage/plugin-signals-backend'));

// Notifications (Astro alerts reach owners through them); e-mail only when
// notifications.processors.email is configured.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(emailNotifications);

// The Astro control plane and its built-in Kubernetes simulator.
backend.add(import('@airflow-portal/plugin-astro-backend'));
backend.add(import('@airflow-portal/plugin-astro-backend-module-simulator'));

backend.start();
