import { createHash } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pack, Header } from 'tar-stream';

/** A member of a test archive: a file's content, or a full tar header. */
export type BundleEntry =
  | string
  | Buffer
  | (Partial<Header> & { content?: string | Buffer });

/**
 * Builds a .tar.gz with tar-stream (an independent tar writer, so that the
 * simulator's reader is tested against archives it did not write).
 */
export async function makeBundle(
  entries: Record<string, BundleEntry>,
): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) =>
    chunks.push(Buffer.from(chunk as Uint8Array)),
  );
  const done = new Promise<void>((resolve, reject) => {
    archive.on('end', () => resolve());
    archive.on('error', reject);
  });
  for (const [name, entry] of Object.entries(entries)) {
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
      archive.entry({ name, mode: 0o644 }, entry);
      continue;
    }
    const { content, ...header } = entry;
    if (content !== undefined) {
      archive.entry({ name, ...header }, content);
    } else {
      archive.entry({ name, ...header });
    }
  }
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** `sha256:<hex>` of some bytes. */
export function versionOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** One request the bundle server received. */
export interface BundleRequest {
  method: string;
  path: string;
  authorization?: string;
}

/** A pod's report, as the bundle server received it. */
export interface BundleReport {
  pod: string;
  body: { version: string; error?: string };
}

/**
 * A small HTTP server speaking the backend's side of the DAG sync protocol
 * for one Deployment: `GET /current`, `GET /versions/<version>`, `PUT
 * /pods/<pod>`, bearer token required.
 */
export class BundleServer {
  readonly requests: BundleRequest[] = [];
  readonly reports: BundleReport[] = [];
  private readonly bundles = new Map<string, Buffer>();
  private current?: { version: string; deployId: string; size: number };
  private readonly corrupted = new Set<string>();
  private stall = false;
  private readonly stalled: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly deploymentId: string,
    readonly token: string,
  ) {}

  static async start(
    options: { deploymentId?: string; token?: string } = {},
  ): Promise<BundleServer> {
    const holder: { instance?: BundleServer } = {};
    const server = createServer((req, res) => {
      holder.instance!.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    const instance = new BundleServer(
      server,
      options.deploymentId ?? '7b0f2f8e-0c5b-4a8e-9d55-2b1c0a6f3e11',
      options.token ?? 'bundle-token-of-test',
    );
    holder.instance = instance;
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    return instance;
  }

  /** `<server>/api/astro/bundles/<deploymentId>` */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/astro/bundles/${this.deploymentId}`;
  }

  /** Makes a bundle current; returns its version. */
  publish(
    bytes: Buffer,
    options: { deployId?: string; corrupt?: boolean } = {},
  ): string {
    const version = versionOf(bytes);
    this.bundles.set(version, bytes);
    if (options.corrupt) {
      this.corrupted.add(version);
    }
    this.current = {
      version,
      deployId: options.deployId ?? `deploy-${this.bundles.size}`,
      size: bytes.length,
    };
    return version;
  }

  /** Holds every answer until {@link BundleServer.release} (or close). */
  hold(): void {
    this.stall = true;
  }

  release(): void {
    this.stall = false;
    for (const res of this.stalled.splice(0)) {
      res.destroy();
    }
  }

  reportsOf(pod: string): BundleReport[] {
    return this.reports.filter(report => report.pod === pod);
  }

  countOf(method: string, suffix: string): number {
    return this.requests.filter(
      r => r.method === method && r.path.endsWith(suffix),
    ).length;
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://bundles').pathname;
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    if (this.stall) {
      this.stalled.push(res);
      return;
    }
    const json = (status: number, body?: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const base = `/api/astro/bundles/${this.deploymentId}`;
    if (!path.startsWith(`${base}/`)) {
      json(404, { error: { name: 'NotFoundError', message: 'no such path' } });
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      json(401, {
        error: { name: 'AuthenticationError', message: 'invalid bundle token' },
      });
      return;
    }
    const rest = path.slice(base.length + 1);
    if (req.method === 'GET' && rest === 'current') {
      if (!this.current) {
        json(404, { error: { name: 'NotFoundError', message: 'no bundle' } });
      } else {
        json(200, this.current);
      }
      return;
    }
    const version = /^versions\/(.+)$/.exec(rest)?.[1];
    if (req.method === 'GET' && version) {
      const bytes = this.bundles.get(decodeURIComponent(version));
      if (!bytes) {
        json(404, { error: { name: 'NotFoundError', message: 'no version' } });
        return;
      }
      const sent = this.corrupted.has(decodeURIComponent(version))
        ? Buffer.concat([bytes, Buffer.from('tampered')])
        : bytes;
      res.writeHead(200, {
        'Content-Type': 'application/gzip',
        'Content-Length': sent.length,
      });
      res.end(sent);
      return;
    }
    const pod = /^pods\/([^/]+)$/.exec(rest)?.[1];
    if (req.method === 'PUT' && pod) {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        json(400, { error: { name: 'InputError', message: 'not JSON' } });
        return;
      }
      const report = body as { version?: unknown; error?: unknown };
      if (
        typeof report.version !== 'string' ||
        !/^sha256:[0-9a-f]{64}$/.test(report.version) ||
        (report.error !== undefined && typeof report.error !== 'string')
      ) {
        json(400, { error: { name: 'InputError', message: 'bad report' } });
        return;
      }
      this.reports.push({
        pod: decodeURIComponent(pod),
        body: report as BundleReport['body'],
      });
      res.writeHead(204);
      res.end();
      return;
    }
    json(404, { error: { name: 'NotFoundError', message: 'no such path' } });
  }
}
