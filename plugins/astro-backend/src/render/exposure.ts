import { InputError } from '@backstage/errors';
import type { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import type { V1Ingress } from '@kubernetes/client-node';
import type { RenderContext } from './context';
import { objectMetadata } from './labels';
import { kubernetesObject } from './objects';
import type { RenderCondition, RenderDeploymentIdentity } from './types';

/*
 * How people reach a Deployment's Airflow from their machines (the
 * cluster's `airflowIngress` or `airflowGateway`): one Ingress or Gateway
 * API HTTPRoute per Deployment, named `airflow-ui`, to the API server
 * (Airflow 3) or webserver (Airflow 2) Service, as the official chart's
 * `ingress.apiServer` / `httpRoute.apiServer` do. Airflow learns the URL
 * (`[api] base_url` on 3, `[webserver] base_url` on 2) and trusts the
 * proxy's `X-Forwarded-*` headers (`--proxy-headers` of `airflow
 * api-server` with uvicorn's `FORWARDED_ALLOW_IPS`, or `[webserver]
 * enable_proxy_fix`). The UI's NetworkPolicy already admits traffic from
 * any namespace to the UI port, the controller's or Gateway's included.
 */

/** Name of the Ingress or HTTPRoute of a Deployment. */
export const AIRFLOW_UI_ROUTE = 'airflow-ui';

/** The API group version HTTPRoutes are rendered in. */
export const GATEWAY_API_VERSION = 'gateway.networking.k8s.io/v1';

/** Type of the renderer's condition about the route to the Airflow UI. */
export const AIRFLOW_UI_ROUTED_CONDITION = 'AirflowUiRouted';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const URL_PATH = /^(\/|(\/[A-Za-z0-9._~-]+)+)$/;

/** A host template with the Deployment's names in its placeholders. */
export function fillHostTemplate(
  template: string,
  deployment: Pick<
    RenderDeploymentIdentity,
    'organization' | 'workspace' | 'name' | 'namespace'
  >,
): string {
  return template
    .replace(/\{organization\}/g, deployment.organization)
    .replace(/\{workspace\}/g, deployment.workspace)
    .replace(/\{deployment\}/g, deployment.name)
    .replace(/\{namespace\}/g, deployment.namespace);
}

/** Why a host is not a DNS name (RFC 1123 subdomain), or undefined. */
export function describeInvalidHost(host: string): string | undefined {
  if (host.length > 253) {
    return 'is longer than 253 characters';
  }
  const bad = host.split('.').find(l => !DNS_LABEL.test(l) || l.length > 63);
  return bad === undefined
    ? undefined
    : `has the label "${bad}", which is not a DNS label (lowercase letters, digits and '-', at most 63 characters)`;
}

/** Why a URL path cannot be served under, or undefined. */
export function describeInvalidPath(path: string): string | undefined {
  return URL_PATH.test(path)
    ? undefined
    : 'must start with "/" and hold only letters, digits, ".", "_", "~", "-" and "/" (no trailing "/")';
}

/** Where a Deployment's Airflow is served, as its route says. */
export interface ExposedAirflow {
  host: string;
  /** `/` or a path without trailing slash. */
  path: string;
  /** The URL people open, without trailing slash. */
  url: string;
}

/**
 * The host, path and URL of the Deployment's route; undefined without an
 * exposure setting.
 *
 * @throws InputError when the host template or path gives no valid route.
 */
export function exposedAirflow(ctx: RenderContext): ExposedAirflow | undefined {
  const { exposure } = ctx.input;
  if (!exposure) {
    return undefined;
  }
  const host = fillHostTemplate(exposure.hostTemplate, ctx.deployment);
  const hostProblem = describeInvalidHost(host);
  if (hostProblem) {
    throw new InputError(
      `The Airflow host "${host}" (from the cluster's hostTemplate) ${hostProblem}`,
    );
  }
  const path = exposure.path ?? '/';
  const pathProblem = describeInvalidPath(path);
  if (pathProblem) {
    throw new InputError(`The Airflow path "${path}" ${pathProblem}`);
  }
  let scheme: 'https' | 'http' = 'http';
  if (exposure.kind === 'gateway') {
    scheme = exposure.scheme ?? 'https';
  } else if (exposure.tls) {
    scheme = 'https';
  }
  return {
    host,
    path,
    url: `${scheme}://${host}${path === '/' ? '' : path}`,
  };
}

/**
 * Airflow settings of the route: the base URL and trust in the proxy's
 * forwarded headers. Nothing without a route.
 */
export function exposureAirflowConfig(
  ctx: RenderContext,
): Record<string, string> {
  const exposed = exposedAirflow(ctx);
  if (!exposed) {
    return {};
  }
  if (ctx.airflow3) {
    return {
      AIRFLOW__API__BASE_URL: exposed.url,
      // uvicorn trusts X-Forwarded-Proto/-For only from these addresses
      // (127.0.0.1 by default); the controller's pods have cluster IPs.
      FORWARDED_ALLOW_IPS: '*',
    };
  }
  return {
    AIRFLOW__WEBSERVER__BASE_URL: exposed.url,
    AIRFLOW__WEBSERVER__ENABLE_PROXY_FIX: 'True',
  };
}

/** Extra arguments of the UI component's command: `--proxy-headers` on Airflow 3 behind a route. */
export function exposureUiArgs(ctx: RenderContext): string[] {
  return ctx.airflow3 && ctx.input.exposure ? ['--proxy-headers'] : [];
}

/** The Gateway API's HTTPRoute, as far as the renderer writes it. */
interface HTTPRoute {
  spec: {
    parentRefs: Array<{
      name: string;
      namespace: string;
      sectionName?: string;
    }>;
    hostnames: string[];
    rules: Array<{
      matches: Array<{ path: { type: 'PathPrefix'; value: string } }>;
      backendRefs: Array<{ name: string; port: number }>;
    }>;
  };
}

/** What the route adds to a render. */
export interface RenderedExposure {
  objects: KubernetesObject[];
  conditions: RenderCondition[];
  airflowUrl?: string;
}

/**
 * The Ingress or HTTPRoute of the Deployment, with a condition saying where
 * Airflow is served or why no route is rendered (a Gateway setting on a
 * cluster that does not serve `gateway.networking.k8s.io/v1`).
 */
export function renderExposure(ctx: RenderContext): RenderedExposure {
  const { exposure } = ctx.input;
  const exposed = exposedAirflow(ctx);
  if (!exposure || !exposed) {
    return { objects: [], conditions: [] };
  }
  const { ui } = ctx;
  const metadata = objectMetadata(ctx.deployment, AIRFLOW_UI_ROUTE, {
    component: ui.component,
    annotations: exposure.annotations,
  });
  if (exposure.kind === 'gateway') {
    if (
      !ctx.input.capabilities.apiGroupVersions.includes(GATEWAY_API_VERSION)
    ) {
      return {
        objects: [],
        conditions: [
          {
            type: AIRFLOW_UI_ROUTED_CONDITION,
            status: 'False',
            reason: 'GatewayApiNotServed',
            message: `The cluster is configured with airflowGateway but does not serve ${GATEWAY_API_VERSION}: install the Gateway API CRDs (v1) or configure airflowIngress instead`,
          },
        ],
      };
    }
    return {
      objects: [
        kubernetesObject<HTTPRoute>(
          GATEWAY_API_VERSION,
          'HTTPRoute',
          metadata,
          {
            spec: {
              parentRefs: exposure.parentRefs.map(ref => ({
                name: ref.name,
                namespace: ref.namespace,
                ...(ref.sectionName ? { sectionName: ref.sectionName } : {}),
              })),
              hostnames: [exposed.host],
              rules: [
                {
                  matches: [
                    { path: { type: 'PathPrefix', value: exposed.path } },
                  ],
                  backendRefs: [{ name: ui.name, port: ui.port }],
                },
              ],
            },
          },
        ),
      ],
      conditions: [
        {
          type: AIRFLOW_UI_ROUTED_CONDITION,
          status: 'True',
          reason: 'HTTPRoute',
          message: `Airflow is routed at ${
            exposed.url
          } through the Gateway ${exposure.parentRefs
            .map(ref => `${ref.namespace}/${ref.name}`)
            .join(', ')}`,
        },
      ],
      airflowUrl: exposed.url,
    };
  }
  const secretName = exposure.tls?.secretName;
  return {
    objects: [
      kubernetesObject<V1Ingress>('networking.k8s.io/v1', 'Ingress', metadata, {
        spec: {
          ...(exposure.className
            ? { ingressClassName: exposure.className }
            : {}),
          ...(secretName
            ? { tls: [{ hosts: [exposed.host], secretName }] }
            : {}),
          rules: [
            {
              host: exposed.host,
              http: {
                paths: [
                  {
                    path: exposed.path,
                    pathType: 'Prefix',
                    backend: {
                      service: { name: ui.name, port: { name: 'http' } },
                    },
                  },
                ],
              },
            },
          ],
        },
      }),
    ],
    conditions: [
      {
        type: AIRFLOW_UI_ROUTED_CONDITION,
        status: 'True',
        reason: 'Ingress',
        message: `Airflow is routed at ${exposed.url} through ${
          exposure.className
            ? `the ingress class ${exposure.className}`
            : "the cluster's default ingress class"
        }`,
      },
    ],
    airflowUrl: exposed.url,
  };
}
