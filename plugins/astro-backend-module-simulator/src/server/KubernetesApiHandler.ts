import { QueueDepths } from '../airflow/airflowTaskInstances';
import { IncomingMessage, ServerResponse } from 'node:http';
import { KubernetesObject } from '@airflow-portal/plugin-astro-node';
import {
  ApiOperations,
  DeleteOptions,
  PatchType,
  PropagationPolicy,
  Scale,
} from '../api/ApiOperations';
import { answerAccessReview } from '../api/accessReviews';
import { paginate } from '../api/pagination';
import { simulatedPodLog } from '../api/podLogs';
import { toTable, wantsTable } from '../api/tables';
import {
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  versionInfo,
} from '../api/discovery';
import {
  groupVersionOf,
  ResourceCatalog,
  ResourceType,
} from '../api/resources';
import { StatusError, statusErrors } from '../api/status';
import { applyPatch } from '../apply/patches';
import { AirflowHealth } from '../airflow/AirflowHealth';
import { AirflowDags } from '../airflow/AirflowDags';
import { proxyRequest } from '../airflow/serviceProxy';
import { AirflowRuns } from '../airflow/AirflowRuns';
import { ApiVerb, RequestStats, WriteRecord } from '../stats/RequestStats';
import { OpenApiDocuments } from '../openapi/documents';
import { parseFieldSelector } from '../store/fieldSelector';
import { parseLabelSelector } from '../store/labelSelector';
import { ObjectStore, Selection } from '../store/ObjectStore';
import { arr, isRecord, str } from '../store/objects';
import { parseJson, readBody, readObjectBody, sendJson } from './http';
import { queryBool } from './queryParams';
import { Route } from './routes';
import { WatchHub } from './WatchHub';

const CRD_GROUPS = new Set(['keda.sh']);

/** The verb of a request to a route, for counters and fault injection. */
export function verbOf(
  route: Route,
  req: IncomingMessage,
  query: URLSearchParams,
): ApiVerb {
  switch (route.kind) {
    case 'collection':
      if (req.method === 'POST') return 'create';
      return isWatch(query) ? 'watch' : 'list';
    case 'object':
      switch (req.method) {
        case 'PATCH':
          return contentTypeOf(req) === 'application/apply-patch+yaml'
            ? 'apply'
            : 'patch';
        case 'PUT':
          return 'update';
        case 'DELETE':
          return 'delete';
        default:
          return 'get';
      }
    case 'proxy':
      return 'proxy';
    default:
      return 'discovery';
  }
}

function isPropagationPolicy(value: string): value is PropagationPolicy {
  return value === 'Foreground' || value === 'Background' || value === 'Orphan';
}

function isWatch(query: URLSearchParams): boolean {
  return queryBool(query, 'watch');
}

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function checkDryRunValues(values: unknown[]): boolean {
  if (values.some(value => value !== 'All')) {
    throw statusErrors.badRequest(
      `invalid dryRun value: supported values are "All"`,
    );
  }
  return values.length > 0;
}

function dryRunOf(query: URLSearchParams): boolean {
  return checkDryRunValues(query.getAll('dryRun'));
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/json-patch+json': 'json',
};

/**
 * The delete options of a request: its query and its `DeleteOptions`
 * body (kubectl sends `dryRun`, `propagationPolicy` and `preconditions`
 * in the body).
 */
function deleteOptionsOf(query: URLSearchParams, body: unknown): DeleteOptions {
  const options = isRecord(body) ? body : {};
  const policy =
    query.get('propagationPolicy') ??
    str(options.propagationPolicy) ??
    (options.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && !isPropagationPolicy(policy)) {
    throw statusErrors.badRequest(
      `invalid propagationPolicy: ${policy} (use Foreground, Background or Orphan)`,
    );
  }
  if (options.dryRun !== undefined && !Array.isArray(options.dryRun)) {
    throw statusErrors.badRequest('dryRun in DeleteOptions must be a list');
  }
  const dryRun = dryRunOf(query) || checkDryRunValues(arr(options.dryRun));
  const preconditions = isRecord(options.preconditions)
    ? options.preconditions
    : {};
  return {
    propagationPolicy: policy,
    dryRun,
    preconditions: {
      uid: str(preconditions.uid),
      resourceVersion: str(preconditions.resourceVersion),
    },
  };
}

/** The label and field selectors of a list or watch. */
function selectionOf(
  type: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
): Selection {
  return {
    namespace,
    labelSelector: parseLabelSelector(query.get('labelSelector') ?? undefined),
    fields: parseFieldSelector(type.kind, query.get('fieldSelector')),
  };
}

/** A `Scale` patched by a client (a `Scale` has no merge keys). */
function patchScale(current: Scale, patch: unknown, patchType: PatchType) {
  return applyPatch({ ...current }, patch, patchType, {});
}

/** List items of built-in types carry no apiVersion and kind, as on a real server. */
function listItem(type: ResourceType, object: KubernetesObject): unknown {
  if (CRD_GROUPS.has(type.group)) {
    return object;
  }
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}

/**
 * Serves discovery, CRUD, server-side apply, watches and the service proxy
 * over the simulator's store.
 */
export class KubernetesApiHandler {
  constructor(
    private readonly deps: {
      store: ObjectStore;
      api: ApiOperations;
      catalog: ResourceCatalog;
      watches: WatchHub;
      airflow: AirflowHealth;
      dags: AirflowDags;
      runs: AirflowRuns;
      queues: QueueDepths;
      stats: RequestStats;
      openapi: OpenApiDocuments;
    },
  ) {}

  /**
   * `fieldValidation`: `Strict` refuses fields the kind's schema does not
   * declare with `400`, `Warn` (the default) answers a `Warning` header per
   * field, `Ignore` says nothing. Unknown fields are kept either way.
   */
  private checkFields(
    type: ResourceType,
    body: unknown,
    query: URLSearchParams,
    res: ServerResponse,
  ): void {
    const mode = query.get('fieldValidation') ?? 'Warn';
    if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') {
      throw statusErrors.badRequest(
        `fieldValidation must be one of Ignore, Warn or Strict, got "${mode}"`,
      );
    }
    if (mode === 'Ignore') {
      return;
    }
    const unknown = this.deps.openapi.unknownFields(type, body);
    if (unknown.length === 0) {
      return;
    }
    if (mode === 'Strict') {
      throw statusErrors.badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${
          type.kind
        }: strict decoding error: ${unknown
          .map(field => `unknown field "${field}"`)
          .join(', ')}`,
      );
    }
    res.setHeader(
      'Warning',
      unknown.map(field => `299 - "unknown field \\"${field}\\""`),
    );
  }

  /**
   * `/openapi/v2` in JSON. client-go asks for the protobuf form only; it
   * gets `406` (it then tries the pre-1.10 path, which is not served).
   */
  private openapiV2(req: IncomingMessage, res: ServerResponse): void {
    const accept = req.headers.accept ?? '*/*';
    const acceptsJson = accept
      .split(',')
      .map(part => part.split(';')[0].trim().toLowerCase())
      .some(type =>
        ['application/json', 'application/*', '*/*'].includes(type),
      );
    if (!acceptsJson) {
      throw statusErrors.notAcceptable(
        `only application/json is served for /openapi/v2 by the simulator, not ${accept}; use /openapi/v3`,
      );
    }
    sendJson(
      res,
      200,
      this.deps.openapi.v2Document(this.deps.catalog.served()),
    );
  }

  async handle(
    route: Route,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): Promise<void> {
    const { catalog } = this.deps;
    switch (route.kind) {
      case 'version':
        sendJson(res, 200, versionInfo());
        return;
      case 'health':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      case 'coreVersions':
        sendJson(res, 200, coreApiVersions());
        return;
      case 'groups':
        sendJson(res, 200, apiGroupList(catalog));
        return;
      case 'resources': {
        const list = apiResourceList(catalog, route.group, route.version);
        if (!list) {
          throw statusErrors.unknownPath();
        }
        sendJson(res, 200, list);
        return;
      }
      case 'collection':
        await this.collection(route.type, route.namespace, req, res, query);
        return;
      case 'object':
        await this.object(route, req, res, query);
        return;
      case 'proxy':
        await this.proxy(route, req, res, query);
        return;
      case 'openapiV2':
        this.openapiV2(req, res);
        return;
      case 'openapiV3': {
        const document = route.path
          ? this.deps.openapi.v3Document(catalog.served(), route.path)
          : this.deps.openapi.v3Index(catalog.served());
        if (!document) {
          throw statusErrors.unknownPath();
        }
        sendJson(res, 200, document);
        return;
      }
      case 'accessReview':
        if (req.method !== 'POST') {
          throw statusErrors.methodNotAllowed(req.method ?? '');
        }
        sendJson(
          res,
          201,
          answerAccessReview(route.plural, await readObjectBody(req)),
        );
        return;
      default:
        throw statusErrors.unknownPath();
    }
  }

  private async collection(
    type: ResourceType,
    namespace: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): Promise<void> {
    if (req.method === 'GET') {
      const selection = selectionOf(type, namespace, query);
      if (isWatch(query)) {
        const timeout = Number(query.get('timeoutSeconds') ?? '');
        this.deps.watches.serve(res, {
          type,
          selection,
          resourceVersion: query.get('resourceVersion') ?? undefined,
          allowBookmarks: queryBool(query, 'allowWatchBookmarks'),
          timeoutSeconds:
            Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
        });
        return;
      }
      const { items: all, resourceVersion: current } = this.deps.api.list(
        type,
        selection,
      );
      const { items, continueToken, remainingItemCount, resourceVersion } =
        paginate(all, query, {
          current,
          lastCompaction: this.deps.store.lastCompactionVersion,
        });
      const metadata = {
        resourceVersion,
        ...(continueToken ? { continue: continueToken } : {}),
        ...(remainingItemCount !== undefined ? { remainingItemCount } : {}),
      };
      if (wantsTable(req.headers.accept)) {
        sendJson(
          res,
          200,
          toTable(type, items, {
            resourceVersion,
            continueToken,
            remainingItemCount,
            includeObject: query.get('includeObject'),
          }),
        );
        return;
      }
      sendJson(res, 200, {
        kind: `${type.kind}List`,
        apiVersion: groupVersionOf(type),
        metadata,
        items: items.map(item => listItem(type, item)),
      });
      return;
    }
    if (req.method === 'POST') {
      const dryRun = dryRunOf(query);
      const body = await readObjectBody(req);
      this.checkFields(type, body, query, res);
      const name = isRecord(body)
        ? str(isRecord(body.metadata) ? body.metadata.name : undefined)
        : undefined;
      await this.write(
        { verb: 'create', type, namespace, name: name ?? '', dryRun },
        res,
        () => ({
          status: 201,
          object: this.deps.api.create(type, namespace, body, {
            manager: query.get('fieldManager') ?? 'unknown',
            dryRun,
          }),
        }),
      );
      return;
    }
    throw statusErrors.methodNotAllowed(req.method ?? '');
  }

  private async object(
    route: Extract<Route, { kind: 'object' }>,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): Promise<void> {
    const { type, namespace, name, subresource } = route;
    const { api } = this.deps;
    if (subresource === 'scale' && type.scaleSubresource) {
      await this.scale(route, req, res, query);
      return;
    }
    if (subresource === 'log' && type.kind === 'Pod' && req.method === 'GET') {
      const text = simulatedPodLog(api.get(type, namespace, name), query);
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        'Content-Length': Buffer.byteLength(text),
        'X-Simulated': 'true',
      });
      res.end(text);
      return;
    }
    if (subresource !== undefined && subresource !== 'status') {
      throw statusErrors.unknownPath();
    }
    if (req.method === 'GET') {
      const object = api.get(type, namespace, name);
      if (subresource === undefined && wantsTable(req.headers.accept)) {
        sendJson(
          res,
          200,
          toTable(type, [object], {
            resourceVersion: object.metadata.resourceVersion,
            includeObject: query.get('includeObject'),
          }),
        );
        return;
      }
      sendJson(res, 200, object);
      return;
    }
    if (subresource !== undefined) {
      throw statusErrors.methodNotAllowed(
        `${req.method} on the ${subresource} subresource`,
      );
    }
    const dryRun = dryRunOf(query);
    const manager = query.get('fieldManager') ?? '';
    const target = { type, namespace, name, dryRun };
    if (req.method === 'PATCH') {
      const body = parseJson(await readBody(req), 'patch');
      const contentType = contentTypeOf(req);
      if (contentType === 'application/apply-patch+yaml') {
        this.checkFields(type, body, query, res);
        const force = queryBool(query, 'force');
        await this.write({ verb: 'apply', ...target }, res, () => {
          const result = api.apply(type, namespace, name, body, {
            manager,
            force,
            dryRun,
          });
          return { status: result.created ? 201 : 200, object: result.object };
        });
        return;
      }
      const patchType = PATCH_TYPES[contentType];
      if (!patchType) {
        throw statusErrors.unsupportedMediaType(contentType);
      }
      await this.write({ verb: 'patch', ...target }, res, () => ({
        status: 200,
        object: api.patch(type, namespace, name, body, {
          manager: manager || 'unknown',
          dryRun,
          patchType,
        }),
      }));
      return;
    }
    if (req.method === 'PUT') {
      const body = await readObjectBody(req);
      this.checkFields(type, body, query, res);
      await this.write({ verb: 'update', ...target }, res, () => ({
        status: 200,
        object: api.replace(type, namespace, name, body, {
          manager: manager || 'unknown',
          dryRun,
        }),
      }));
      return;
    }
    if (req.method === 'DELETE') {
      const body = await readObjectBody(req, 'delete options');
      const options = deleteOptionsOf(query, body);
      await this.write(
        { verb: 'delete', ...target, dryRun: options.dryRun ?? false },
        res,
        () => ({
          status: 200,
          object: api.delete(type, namespace, name, options),
        }),
      );
      return;
    }
    throw statusErrors.methodNotAllowed(req.method ?? '');
  }

  /** The `scale` subresource: `GET`, `PUT` and `PATCH` of a `Scale`. */
  private async scale(
    route: Extract<Route, { kind: 'object' }>,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): Promise<void> {
    const { type, namespace, name } = route;
    const { api } = this.deps;
    if (req.method === 'GET') {
      sendJson(res, 200, api.getScale(type, namespace, name));
      return;
    }
    const dryRun = dryRunOf(query);
    const options = {
      manager: query.get('fieldManager') || 'unknown',
      dryRun,
    };
    const target = { type, namespace, name, dryRun };
    if (req.method === 'PUT') {
      const body = parseJson(await readBody(req));
      if (!isRecord(body)) {
        throw statusErrors.badRequest('the body must be a Scale object');
      }
      await this.write({ verb: 'update', ...target }, res, () => ({
        status: 200,
        object: api.updateScale(type, namespace, name, () => body, options),
      }));
      return;
    }
    if (req.method === 'PATCH') {
      const body = parseJson(await readBody(req), 'patch');
      const contentType = contentTypeOf(req);
      const patchType = PATCH_TYPES[contentType];
      if (!patchType) {
        throw statusErrors.unsupportedMediaType(contentType);
      }
      await this.write({ verb: 'patch', ...target }, res, () => ({
        status: 200,
        object: api.updateScale(
          type,
          namespace,
          name,
          current => patchScale(current, body, patchType),
          options,
        ),
      }));
      return;
    }
    throw statusErrors.methodNotAllowed(
      `${req.method} on the scale subresource`,
    );
  }

  private async write(
    request: {
      verb: WriteRecord['verb'];
      type: ResourceType;
      namespace?: string;
      name: string;
      dryRun: boolean;
    },
    res: ServerResponse,
    action: () => { status: number; object: unknown },
  ): Promise<void> {
    const record = (status: number, changed: boolean) =>
      this.deps.stats.recordWrite({
        verb: request.verb,
        apiVersion: groupVersionOf(request.type),
        kind: request.type.kind,
        ...(request.namespace ? { namespace: request.namespace } : {}),
        name: request.name,
        dryRun: request.dryRun,
        status,
        changed,
      });
    // Writes run synchronously: a new store version during the action is
    // this write's (controllers run on a later tick).
    const before = this.deps.store.resourceVersion;
    try {
      const { status, object } = action();
      record(status, this.deps.store.resourceVersion !== before);
      sendJson(res, status, object);
    } catch (error) {
      record(
        error instanceof StatusError ? error.code : 500,
        this.deps.store.resourceVersion !== before,
      );
      throw error;
    }
  }

  private async proxy(
    route: Extract<Route, { kind: 'proxy' }>,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    if (!['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
      throw statusErrors.methodNotAllowed(method);
    }
    const text =
      method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        sendJson(res, 400, {
          detail: 'There was an error parsing the body',
        });
        return;
      }
    }
    const answer = await proxyRequest(
      {
        store: this.deps.store,
        health: this.deps.airflow,
        dags: this.deps.dags,
        runs: this.deps.runs,
        queues: this.deps.queues,
      },
      route.namespace,
      route.service,
      { method, path: route.path, query, headers: req.headers, body },
      (verb, path) => this.deps.stats.countAirflow(route.namespace, verb, path),
    );
    for (const [name, value] of Object.entries(answer.headers ?? {})) {
      res.setHeader(name, value);
    }
    sendJson(res, answer.status, answer.body);
  }
}
