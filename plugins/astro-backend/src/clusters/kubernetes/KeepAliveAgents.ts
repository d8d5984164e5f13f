import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';

/** The agent options that decide which connections an agent may share. */
const CONNECTION_OPTIONS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
] as const;

/** Sockets kept open per API server, as Go's client-go keeps them. */
const MAX_FREE_SOCKETS = 16;

function fingerprint(agent: http.Agent): string {
  const options = (agent as unknown as { options?: Record<string, unknown> })
    .options;
  const hash = createHash('sha256');
  hash.update(agent instanceof https.Agent ? 'https' : 'http');
  for (const name of CONNECTION_OPTIONS) {
    const value = options?.[name];
    hash.update(`\0${name}=`);
    if (value === undefined || value === null) {
      continue;
    }
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts) {
      hash.update(Buffer.isBuffer(part) ? part : String(part));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/**
 * Connection reuse for one API server. `@kubernetes/client-node` builds a
 * new agent for every request (in `applySecurityAuthentication`), so each
 * request opens its own TCP connection and TLS handshake. This keeps one
 * keep-alive agent per distinct set of TLS options instead and hands it
 * out in place of the fresh one; when the options change (a rotated
 * client certificate from an exec plugin), a new agent takes over and the
 * old one is closed once its requests can no longer be running. Proxy
 * agents are passed through as built.
 */
export class KeepAliveAgents {
  private current?: { key: string; agent: http.Agent };

  constructor(
    /** The longest a request may run: an old agent is closed after it. */
    private readonly requestTimeoutMs: number,
  ) {}

  /** The shared agent to use instead of `fresh`. */
  reuse(fresh: http.Agent): http.Agent {
    if (fresh.constructor !== http.Agent && fresh.constructor !== https.Agent) {
      return fresh;
    }
    const key = fingerprint(fresh);
    if (this.current?.key === key) {
      return this.current.agent;
    }
    const options = (fresh as unknown as { options: http.AgentOptions })
      .options;
    const agent =
      fresh instanceof https.Agent
        ? new https.Agent({
            ...(options as https.AgentOptions),
            keepAlive: true,
            maxFreeSockets: MAX_FREE_SOCKETS,
          })
        : new http.Agent({
            ...options,
            keepAlive: true,
            maxFreeSockets: MAX_FREE_SOCKETS,
          });
    const previous = this.current?.agent;
    if (previous) {
      setTimeout(() => previous.destroy(), this.requestTimeoutMs).unref();
    }
    this.current = { key, agent };
    return agent;
  }

  /**
   * Closes the connections kept idle. Called when one of them turned out
   * to be closed by the server: the others, idle as long, likely are too,
   * and a request sent again must get a new connection.
   */
  dropIdle(): void {
    const agent = this.current?.agent;
    if (!agent) {
      return;
    }
    for (const sockets of Object.values(agent.freeSockets)) {
      for (const socket of sockets ?? []) {
        socket.destroy();
      }
    }
  }

  /** Closes the kept connections. */
  close(): void {
    this.current?.agent.destroy();
    this.current = undefined;
  }
}
