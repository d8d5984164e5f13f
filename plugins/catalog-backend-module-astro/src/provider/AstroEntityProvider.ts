import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { assertError } from '@backstage/errors';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  astroClusterEntityRef,
  astroDeploymentEntityRef,
  astroOrganizationEntityRef,
  astroWorkspaceEntityRef,
  Workspace,
} from '@airflow-portal/plugin-astro-common';
import {
  ASTRO_RESOURCES_TOPIC,
  AstroResourceChange,
  parseAstroResourceChanges,
} from '@airflow-portal/plugin-astro-node';
import { AstroApiReader } from './AstroApiReader';
import { AstroEntityFactory, organizationLabel } from './AstroEntityFactory';

/** Identifies the resource a change is about. */
function changeKey(change: AstroResourceChange): string {
  return `${change.kind}:${change.organization ?? ''}/${change.name}`;
}

/**
 * Counts of one full refresh.
 *
 * @public
 */
export interface AstroRefreshSummary {
  organizations: number;
  workspaces: number;
  deployments: number;
  clusters: number;
  /** Entities in the full mutation. */
  entities: number;
  /** HTTP requests made to the Astro API. */
  requests: number;
}

/**
 * Options of {@link AstroEntityProvider}.
 *
 * @public
 */
export interface AstroEntityProviderOptions {
  logger: LoggerService;
  discovery: DiscoveryService;
  auth: AuthService;
  /** Runs the full refresh; omit to refresh only when `refresh()` is called. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Source of change events for delta mutations. */
  events?: EventsService;
  /** Base URL of the portal's frontend, for links to its pages. */
  appBaseUrl: string;
  /** Deployments per page when listing. @defaultValue 500 */
  pageSize?: number;
  /** How long change events are collected before a delta is applied. @defaultValue 250 */
  deltaDelayMs?: number;
  /** Attempts of a scheduled full refresh before it waits for the next run. @defaultValue 3 */
  refreshAttempts?: number;
  /** Pause between those attempts. @defaultValue 5000 */
  refreshRetryDelayMs?: number;
}

/**
 * Collects the entities of a delta mutation; the last word on an entity
 * wins, so that no entity is added or removed twice in one mutation.
 */
class Delta {
  private readonly changes = new Map<
    string,
    { entity: DeferredEntity['entity'] } | { entity?: undefined }
  >();
  constructor(private readonly locationKey: string) {}
  add(entity: DeferredEntity['entity']) {
    this.changes.set(stringifyEntityRef(entity), { entity });
  }
  remove(ref: CompoundEntityRef) {
    this.changes.set(stringifyEntityRef(ref), {});
  }
  get empty() {
    return this.changes.size === 0;
  }
  toMutation(): EntityProviderMutation {
    const added: DeferredEntity[] = [];
    const removed: { entityRef: string; locationKey: string }[] = [];
    for (const [entityRef, { entity }] of this.changes) {
      if (entity) {
        added.push({ entity, locationKey: this.locationKey });
      } else {
        removed.push({ entityRef, locationKey: this.locationKey });
      }
    }
    return { type: 'delta', added, removed };
  }
}

/**
 * Projects the Astro backend's Organizations, Workspaces, Deployments and
 * Clusters into the catalog: a full mutation on a schedule, and delta
 * mutations shortly after the backend publishes a change on the events
 * service topic `astro.resources`.
 *
 * @public
 */
export class AstroEntityProvider implements EntityProvider {
  private readonly logger: LoggerService;
  private readonly reader: AstroApiReader;
  private readonly factory: AstroEntityFactory;
  private readonly locationKey: string;
  private connection?: EntityProviderConnection;

  private readonly pending = new Map<string, AstroResourceChange>();
  private readonly seenDuringRefresh = new Map<string, AstroResourceChange>();
  private refreshing = false;
  private timer?: ReturnType<typeof setTimeout>;
  private draining: Promise<void> = Promise.resolve();

  constructor(private readonly options: AstroEntityProviderOptions) {
    this.logger = options.logger.child({ target: this.getProviderName() });
    this.reader = new AstroApiReader(options);
    this.factory = new AstroEntityFactory({ appBaseUrl: options.appBaseUrl });
    this.locationKey = `astro-provider:${this.getProviderName()}`;
  }

  getProviderName(): string {
    return 'AstroEntityProvider';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.scheduledRefresh(),
    });
    await this.options.events?.subscribe({
      id: 'catalog-astro-entity-provider',
      topics: [ASTRO_RESOURCES_TOPIC],
      onEvent: async params => this.onEvent(params),
    });
  }

  /**
   * The scheduled full refresh. Tries a few times, since the Astro backend
   * may still be starting when the first run comes.
   */
  private async scheduledRefresh(): Promise<void> {
    const attempts = this.options.refreshAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const summary = await this.refresh();
        this.logger.info(
          `Projected ${summary.entities} Astro entities (${summary.deployments} Deployments) with ${summary.requests} requests`,
        );
        return;
      } catch (error) {
        assertError(error);
        const last = attempt === attempts;
        this.logger[last ? 'error' : 'warn'](
          `Astro full refresh failed (attempt ${attempt} of ${attempts}): ${error.message}`,
        );
        if (!last) {
          await new Promise(resolve =>
            setTimeout(resolve, this.options.refreshRetryDelayMs ?? 5000),
          );
        }
      }
    }
  }

  private requireConnection(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    return this.connection;
  }

  /**
   * Reads every resource and replaces all entities of this provider. Reads
   * Deployments a page at a time and keeps only the entities built from
   * them, plus each organization's workspace owners while it is read.
   */
  async refresh(): Promise<AstroRefreshSummary> {
    const connection = this.requireConnection();
    const requestsBefore = this.reader.requestCount;
    const entities: DeferredEntity[] = [];
    const push = (entity: DeferredEntity['entity']) =>
      entities.push({ entity, locationKey: this.locationKey });
    const summary = {
      organizations: 0,
      workspaces: 0,
      deployments: 0,
      clusters: 0,
    };

    this.refreshing = true;
    try {
      for (const cluster of await this.reader.listClusters()) {
        push(this.factory.cluster(cluster));
        summary.clusters += 1;
      }
      for (const organization of await this.reader.listOrganizations()) {
        push(this.factory.organization(organization));
        summary.organizations += 1;
        const label = organizationLabel(organization);
        const owners = new Map<string, string | undefined>();
        for (const workspace of await this.reader.listWorkspaces(
          organization.name,
        )) {
          owners.set(workspace.name, workspace.owner);
          push(this.factory.workspace(workspace, label));
          summary.workspaces += 1;
        }
        for await (const page of this.reader.deploymentPages(
          organization.name,
          { pageSize: this.options.pageSize },
        )) {
          for (const deployment of page) {
            push(
              this.factory.deployment(
                deployment,
                owners.get(deployment.workspace),
                label,
              ),
            );
            summary.deployments += 1;
          }
        }
      }
      await connection.applyMutation({ type: 'full', entities });
    } finally {
      this.refreshing = false;
      // The full mutation was read before these changes landed and may have
      // undone their deltas: apply them again.
      const replay = [...this.seenDuringRefresh.values()];
      this.seenDuringRefresh.clear();
      this.enqueue(replay);
    }
    return {
      ...summary,
      entities: entities.length,
      requests: this.reader.requestCount - requestsBefore,
    };
  }

  /** Handles an event of the `astro.resources` topic. */
  async onEvent(params: EventParams): Promise<void> {
    if (params.topic !== ASTRO_RESOURCES_TOPIC) {
      return;
    }
    this.enqueue(parseAstroResourceChanges(params.eventPayload));
  }

  private enqueue(changes: AstroResourceChange[]) {
    for (const change of changes) {
      const key = changeKey(change);
      this.pending.set(key, change);
      if (this.refreshing) {
        this.seenDuringRefresh.set(key, change);
      }
    }
    if (this.pending.size > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain();
      }, this.options.deltaDelayMs ?? 250);
      this.timer.unref?.();
    }
  }

  /** Applies the pending changes now, after any delta already running. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.drain();
  }

  private drain(): Promise<void> {
    this.draining = this.draining.then(async () => {
      const changes = [...this.pending.values()];
      this.pending.clear();
      if (changes.length === 0) {
        return;
      }
      try {
        await this.applyDelta(changes);
      } catch (error) {
        assertError(error);
        this.logger.warn(
          `Could not apply ${changes.length} Astro changes to the catalog; the next full refresh will: ${error.message}`,
        );
      }
    });
    return this.draining;
  }

  private async applyDelta(changes: AstroResourceChange[]) {
    const connection = this.requireConnection();
    const delta = new Delta(this.locationKey);
    const workspaces = new Map<string, Promise<Workspace | undefined>>();
    const workspace = (organization: string, name: string) => {
      const key = `${organization}/${name}`;
      if (!workspaces.has(key)) {
        workspaces.set(key, this.reader.getWorkspace(organization, name));
      }
      return workspaces.get(key)!;
    };
    // Titles of workspaces and Deployments name their organization.
    const labels = new Map<string, Promise<string>>();
    const label = (organization: string) => {
      if (!labels.has(organization)) {
        labels.set(
          organization,
          this.reader
            .getOrganization(organization)
            .then(found => (found ? organizationLabel(found) : organization)),
        );
      }
      return labels.get(organization)!;
    };

    for (const change of changes) {
      const { name, action } = change;
      const organization = change.organization ?? '';
      switch (change.kind) {
        case 'organization': {
          const found =
            action === 'deleted'
              ? undefined
              : await this.reader.getOrganization(name);
          if (found) {
            delta.add(this.factory.organization(found));
            labels.set(name, Promise.resolve(organizationLabel(found)));
            if (action === 'updated') {
              // Its title is part of its workspaces' and Deployments' titles.
              const owners = new Map<string, string | undefined>();
              for (const w of await this.reader.listWorkspaces(name)) {
                owners.set(w.name, w.owner);
                delta.add(this.factory.workspace(w, organizationLabel(found)));
              }
              for await (const page of this.reader.deploymentPages(name, {
                pageSize: this.options.pageSize,
              })) {
                for (const deployment of page) {
                  delta.add(
                    this.factory.deployment(
                      deployment,
                      owners.get(deployment.workspace),
                      organizationLabel(found),
                    ),
                  );
                }
              }
            }
          } else {
            delta.remove(astroOrganizationEntityRef(name));
          }
          break;
        }
        case 'workspace': {
          const found =
            action === 'deleted'
              ? undefined
              : await workspace(organization, name);
          if (!found) {
            delta.remove(astroWorkspaceEntityRef(organization, name));
            break;
          }
          delta.add(this.factory.workspace(found, await label(organization)));
          if (action === 'updated') {
            // Deployments without an owner of their own inherit this one.
            for await (const page of this.reader.deploymentPages(organization, {
              workspace: name,
              pageSize: this.options.pageSize,
            })) {
              for (const deployment of page) {
                delta.add(
                  this.factory.deployment(
                    deployment,
                    found.owner,
                    await label(organization),
                  ),
                );
              }
            }
          }
          break;
        }
        case 'deployment': {
          const found =
            action === 'deleted'
              ? undefined
              : await this.reader.getDeployment(organization, name);
          if (!found) {
            delta.remove(astroDeploymentEntityRef(organization, name));
            break;
          }
          const owner = found.owner
            ? undefined
            : (await workspace(organization, found.workspace))?.owner;
          delta.add(
            this.factory.deployment(found, owner, await label(organization)),
          );
          break;
        }
        case 'cluster': {
          const found =
            action === 'deleted'
              ? undefined
              : await this.reader.getCluster(name);
          if (found) {
            delta.add(this.factory.cluster(found));
          } else {
            delta.remove(astroClusterEntityRef(name));
          }
          break;
        }
        default:
          break;
      }
    }
    if (!delta.empty) {
      await connection.applyMutation(delta.toMutation());
    }
  }
}
