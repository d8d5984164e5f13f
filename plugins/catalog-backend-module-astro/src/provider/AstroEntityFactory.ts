import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  EntityLink,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ASTRO_ENTITY_ANNOTATIONS,
  ASTRO_ENTITY_API_VERSION,
  astroClusterEntityRef,
  AstroClusterEntityV1alpha1,
  astroDeploymentEntityRef,
  AstroDeploymentEntityV1alpha1,
  astroOrganizationEntityRef,
  astroPortalPaths,
  astroPortalUrl,
  AstroOrganizationEntityV1alpha1,
  astroWorkspaceEntityRef,
  AstroWorkspaceEntityV1alpha1,
  Cluster,
  Deployment,
  Organization,
  Workspace,
} from '@airflow-portal/plugin-astro-common';

/** Annotations Backstage's Kubernetes plugin reads. */
const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const KUBERNETES_NAMESPACE = 'backstage.io/kubernetes-namespace';
const KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';

/** Absolute URLs of the portal's pages of Astro resources. */
function portalUrls(appBaseUrl: string) {
  return {
    overview: astroPortalUrl(appBaseUrl, astroPortalPaths.root),
    workspace: (organization: string, workspace: string) =>
      astroPortalUrl(
        appBaseUrl,
        astroPortalPaths.workspace(organization, workspace),
      ),
    deployment: (organization: string, deployment: string) =>
      astroPortalUrl(
        appBaseUrl,
        astroPortalPaths.deployment(organization, deployment),
      ),
  };
}

function managedBy(path: string): Record<string, string> {
  const location = `astro:${path}`;
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}

function describe(
  resource: { name: string; title: string; description: string },
  organization?: string,
) {
  const title = resource.title || resource.name;
  return {
    title: organization ? `${organization} / ${title}` : title,
    ...(resource.description ? { description: resource.description } : {}),
  };
}

/** How an organization is named in the titles of its resources. */
export function organizationLabel(
  organization: Pick<Organization, 'name' | 'title'>,
) {
  return organization.title || organization.name;
}

/**
 * Turns resources of the Astro API into catalog entities. Only fields listed
 * here are copied, so nothing the API adds later (and no secret) reaches the
 * catalog by accident: Deployments carry a summary of their settings without
 * environment variables.
 */
export class AstroEntityFactory {
  private readonly urls: ReturnType<typeof portalUrls>;

  constructor(options: { appBaseUrl: string }) {
    this.urls = portalUrls(options.appBaseUrl);
  }

  organization(organization: Organization): AstroOrganizationEntityV1alpha1 {
    const ref = astroOrganizationEntityRef(organization.name);
    return {
      apiVersion: ASTRO_ENTITY_API_VERSION,
      kind: 'AstroOrganization',
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        ...describe(organization),
        annotations: {
          ...managedBy(`/organizations/${organization.name}`),
          [ASTRO_ENTITY_ANNOTATIONS.organization]: organization.name,
        },
        links: [
          {
            url: this.urls.overview,
            title: 'Airflow in the portal',
            icon: 'dashboard',
          },
        ],
      },
      spec: {},
    };
  }

  /**
   * The entity of a workspace. Its title names the organization
   * ("ACME / Analytics"): workspace titles repeat across organizations,
   * and the catalog's tables and relation graphs label entities by title
   * alone. `organizationTitle` is the organization's label, its name when
   * not given.
   */
  workspace(
    workspace: Workspace,
    organizationTitle: string = workspace.organization,
  ): AstroWorkspaceEntityV1alpha1 {
    const ref = astroWorkspaceEntityRef(workspace.organization, workspace.name);
    return {
      apiVersion: ASTRO_ENTITY_API_VERSION,
      kind: 'AstroWorkspace',
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        ...describe(workspace, organizationTitle),
        annotations: {
          ...managedBy(
            `/organizations/${workspace.organization}/workspaces/${workspace.name}`,
          ),
          [ASTRO_ENTITY_ANNOTATIONS.organization]: workspace.organization,
          [ASTRO_ENTITY_ANNOTATIONS.workspace]: workspace.name,
        },
        links: [
          {
            url: this.urls.workspace(workspace.organization, workspace.name),
            title: 'Workspace in the portal',
            icon: 'dashboard',
          },
        ],
      },
      spec: {
        organization: stringifyEntityRef(
          astroOrganizationEntityRef(workspace.organization),
        ),
        ...(workspace.owner ? { owner: workspace.owner } : {}),
        clusterGrants: [...workspace.clusterGrants],
      },
    };
  }

  /**
   * The entity of a Deployment. Its owner is the Deployment's own, else the
   * owner of its workspace; its title names the organization, as a
   * workspace's does.
   */
  deployment(
    deployment: Deployment,
    workspaceOwner: string | undefined,
    organizationTitle: string = deployment.organization,
  ): AstroDeploymentEntityV1alpha1 {
    const { organization, settings } = deployment;
    const ref = astroDeploymentEntityRef(organization, deployment.name);
    const owner = deployment.owner ?? workspaceOwner;
    const links: EntityLink[] = [];
    if (deployment.airflowUrl) {
      links.push({
        url: deployment.airflowUrl,
        title: 'Airflow UI',
        icon: 'dashboard',
        type: 'airflow-ui',
      });
    }
    links.push({
      url: this.urls.deployment(organization, deployment.name),
      title: 'Deployment in the portal',
      icon: 'dashboard',
      type: 'portal',
    });
    return {
      apiVersion: ASTRO_ENTITY_API_VERSION,
      kind: 'AstroDeployment',
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        ...describe(deployment, organizationTitle),
        tags: ['airflow'],
        annotations: {
          ...managedBy(
            `/organizations/${organization}/deployments/${deployment.name}`,
          ),
          [ASTRO_ENTITY_ANNOTATIONS.organization]: organization,
          [ASTRO_ENTITY_ANNOTATIONS.workspace]: deployment.workspace,
          [ASTRO_ENTITY_ANNOTATIONS.deployment]: deployment.name,
          [ASTRO_ENTITY_ANNOTATIONS.cluster]: deployment.cluster,
          // Every Kubernetes object of a Deployment carries the label
          // backstage.io/kubernetes-id=<namespace>.
          [KUBERNETES_ID]: deployment.namespace,
          [KUBERNETES_NAMESPACE]: deployment.namespace,
          [KUBERNETES_CLUSTER]: deployment.cluster,
        },
        links,
      },
      spec: {
        organization: stringifyEntityRef(
          astroOrganizationEntityRef(organization),
        ),
        workspace: stringifyEntityRef(
          astroWorkspaceEntityRef(organization, deployment.workspace),
        ),
        cluster: stringifyEntityRef(astroClusterEntityRef(deployment.cluster)),
        ...(owner ? { owner } : {}),
        namespace: deployment.namespace,
        ...(deployment.airflowUrl ? { airflowUrl: deployment.airflowUrl } : {}),
        settings: {
          airflowVersion: settings.airflowVersion,
          executor: settings.executor,
          schedulerSize: settings.schedulerSize,
          highAvailability: settings.highAvailability,
          workerQueues: settings.workerQueues.map(queue => ({
            name: queue.name,
            isDefault: queue.isDefault,
            workerSize: queue.workerSize,
            minWorkers: queue.minWorkers,
            maxWorkers: queue.maxWorkers,
            concurrency: queue.concurrency,
          })),
        },
        status: {
          state: deployment.status,
          ...(deployment.statusReason
            ? { reason: deployment.statusReason }
            : {}),
          since: deployment.statusChangedAt,
        },
      },
    };
  }

  cluster(cluster: Cluster): AstroClusterEntityV1alpha1 {
    const ref = astroClusterEntityRef(cluster.name);
    return {
      apiVersion: ASTRO_ENTITY_API_VERSION,
      kind: 'AstroCluster',
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        ...describe(cluster),
        annotations: {
          ...managedBy(`/clusters/${cluster.name}`),
          [ASTRO_ENTITY_ANNOTATIONS.cluster]: cluster.name,
          ...(cluster.organization
            ? { [ASTRO_ENTITY_ANNOTATIONS.organization]: cluster.organization }
            : {}),
        },
      },
      spec: {
        type: cluster.type,
        provider: cluster.provider,
        region: cluster.region,
        ...(cluster.organization
          ? {
              organization: stringifyEntityRef(
                astroOrganizationEntityRef(cluster.organization),
              ),
            }
          : {}),
      },
    };
  }
}
