import type { KubeConfig } from '@kubernetes/client-node';
import { ClientNode } from './clientNode';
import { errorFromException, isClosedBeforeAnswer } from './errors';
import { KeepAliveAgents } from './KeepAliveAgents';

/** One HTTP request to the API server. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute path, e.g. `/apis/apps/v1/namespaces/x/deployments/y`. */
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  contentType?: string;
  /** Extra headers (never `Authorization`: the KubeConfig sets that). */
  headers?: Record<string, string>;
  /** Describes the request in error messages. */
  what: string;
  /**
   * Safe to send twice (a `GET` always is): a server-side apply is, as
   * the same apply again changes nothing.
   */
  repeatable?: boolean;
}

/** An HTTP answer. */
export interface TransportResponse {
  status: number;
  body: string;
}

/** A watch event as the API server streams it. */
export interface WatchEvent {
  type: string;
  object: unknown;
}

/**
 * HTTP to one API server through `@kubernetes/client-node`: its KubeConfig
 * authenticates each request (bearer tokens, client certificates, exec
 * plugins, TLS settings), its fetch-based HTTP library sends it over
 * kept-alive connections ({@link KeepAliveAgents}), and its `Watch`
 * streams watches. Every request has a timeout; watches have none (their
 * callers detect idleness).
 */
export class KubernetesTransport {
  private readonly http: InstanceType<ClientNode['IsomorphicFetchHttpLibrary']>;
  private readonly watcher: InstanceType<ClientNode['Watch']>;
  private readonly server: string;
  private readonly agents: KeepAliveAgents;

  constructor(
    private readonly k8s: ClientNode,
    private readonly kc: KubeConfig,
    private readonly timeoutMs: number,
  ) {
    this.http = new k8s.IsomorphicFetchHttpLibrary();
    this.watcher = new k8s.Watch(kc);
    this.server = (kc.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
    this.agents = new KeepAliveAgents(timeoutMs);
  }

  /** The API server URL. */
  get serverUrl(): string {
    return this.server;
  }

  /**
   * Sends a request; resolves with any HTTP answer, rejects with a
   * `ClusterError` when no answer came (unreachable, timeout).
   *
   * A `GET` or `repeatable` request whose connection was closed before
   * any answer came is sent once more, within the same timeout: a
   * kept-alive connection the server closes as idle just as a request
   * goes out on it fails that way (on a busy event loop the agent drops
   * such a socket too late). client-go's REST client repeats a `GET`
   * after a reset too. Other writes are never repeated.
   */
  async request(request: TransportRequest): Promise<TransportResponse> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.send(request, signal);
    } catch (error) {
      const repeatable = request.method === 'GET' || request.repeatable;
      if (!repeatable || !isClosedBeforeAnswer(error)) {
        throw errorFromException(request.what, error, this.timeoutMs);
      }
    }
    // Sent again on a new connection, not on another stale one.
    this.agents.dropIdle();
    try {
      return await this.send(request, signal);
    } catch (error) {
      throw errorFromException(request.what, error, this.timeoutMs);
    }
  }

  private async send(
    request: TransportRequest,
    signal: AbortSignal,
  ): Promise<TransportResponse> {
    const context = new this.k8s.RequestContext(
      `${this.server}${request.path}`,
      this.k8s.HttpMethod[request.method],
    );
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) {
        context.setQueryParam(name, value);
      }
    }
    context.setHeaderParam('Accept', 'application/json');
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      context.setHeaderParam(name, value);
    }
    if (request.body !== undefined) {
      context.setHeaderParam(
        'Content-Type',
        request.contentType ?? 'application/json',
      );
      context.setBody(JSON.stringify(request.body));
    }
    await this.kc.applySecurityAuthentication(context);
    const agent = context.getAgent();
    if (agent) {
      context.setAgent(this.agents.reuse(agent));
    }
    context.setSignal(signal);
    const response = await this.http.send(context).toPromise();
    let body: string;
    try {
      body = await response.body.text();
    } catch (error) {
      // An answer had begun: not one to send again.
      throw errorFromException(request.what, error, this.timeoutMs);
    }
    return { status: response.httpStatusCode, body };
  }

  /**
   * Opens a watch. `onDone` is called once when the stream ends: without an
   * error when the server closed it, with one when it failed. Resolves to
   * a function that closes the watch.
   */
  async watch(
    path: string,
    query: Record<string, string | undefined>,
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: unknown) => void,
  ): Promise<() => void> {
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) {
        params[name] = value;
      }
    }
    const controller = await this.watcher.watch(
      path,
      params,
      (type: string, object: unknown) => onEvent({ type, object }),
      (error: unknown) => onDone(error ?? undefined),
    );
    return () => controller.abort();
  }

  /** Closes the connections kept open for requests. */
  close(): void {
    this.agents.close();
  }
}
