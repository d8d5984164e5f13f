import { ComponentStatus } from '@airflow-portal/plugin-astro-common';
import { fillHostTemplate } from '../render/exposure';

/** Whether a URL's host is this machine or no address at all: useless on a person's machine. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return true;
  }
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '0.0.0.0' ||
    host === '[::1]' ||
    host === '[::]'
  );
}

/** What decides the Airflow link of a Deployment. */
export interface AirflowUrlInput {
  deployment: {
    organization: string;
    workspace: string;
    name: string;
    namespace: string;
  };
  deleting: boolean;
  /** Where the rendered Ingress or HTTPRoute serves Airflow. */
  routedUrl?: string;
  /** The cluster's `airflowUrlTemplate` (clusters that route by themselves). */
  urlTemplate?: string;
  /** The cluster's driver: the simulator proxies its pages on loopback. */
  driver?: string;
  components: ComponentStatus[];
}

/**
 * The Airflow link people may follow: from the route's host, else the
 * cluster's URL template; only while the API server (webserver) has a
 * Ready replica; never a loopback or unspecified host, except on the
 * simulator, whose pages the portal's own backend serves.
 */
export function advertisedAirflowUrl(input: AirflowUrlInput): string | null {
  if (input.deleting) {
    return null;
  }
  const ui = input.components.find(
    c => c.name === 'api-server' || c.name === 'webserver',
  );
  if (!ui || ui.readyReplicas < 1) {
    return null;
  }
  const url =
    input.routedUrl ??
    (input.urlTemplate
      ? fillHostTemplate(input.urlTemplate, input.deployment)
      : undefined);
  if (!url || (isLoopbackUrl(url) && input.driver !== 'simulator')) {
    return null;
  }
  return url;
}
