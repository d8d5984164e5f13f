import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the receiver got. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * A real HTTP server on loopback that records the webhook requests it
 * gets and answers each path with the statuses it is told (the last one
 * repeats; 200 by default).
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly statuses = new Map<string, number[]>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined = undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        receiver!.requests.push({
          path,
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'),
        });
        const queue = receiver!.statuses.get(path) ?? [];
        const status = queue.length > 1 ? queue.shift()! : queue[0] ?? 200;
        res.statusCode = status;
        res.end(status < 300 ? 'ok' : 'nope');
      });
    });
    receiver = new WebhookReceiver(server);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** The URL of a path on this server. */
  url(path: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${path}`;
  }

  /** Answers the requests to a path with these statuses, in order. */
  answer(path: string, ...statuses: number[]) {
    this.statuses.set(path, statuses);
  }

  to(path: string): ReceivedRequest[] {
    return this.requests.filter(r => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise(resolve => this.server.close(resolve));
  }
}
