import {
  createServer as createHttpServer,
  IncomingMessage,
  Server as HttpServer,
  ServerResponse,
} from 'node:http';
import {
  createServer as createHttpsServer,
  Server as HttpsServer,
} from 'node:https';
import {
  AddressInfo,
  createServer as createNetServer,
  Server,
  Socket,
} from 'node:net';
import { TlsMaterial } from '../tls/certificates';

/** The first byte of a TLS record carrying a handshake (a ClientHello). */
const TLS_HANDSHAKE = 0x16;

/**
 * The server of the simulator: HTTPS and plain HTTP on one port (the first
 * byte of a connection tells a TLS ClientHello from an HTTP request), with
 * the connection-level faults: it can stop listening for a while (clients
 * see "connection refused"), dropping every open connection, and come back
 * on the same port.
 */
export class SimulatorHttpServer {
  private readonly server: Server;
  private readonly http: HttpServer;
  private readonly https: HttpsServer;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private resumeTimer?: NodeJS.Timeout;
  private available?: Promise<void>;
  private resolveAvailable?: () => void;

  constructor(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly host: string,
    private readonly port: number,
    tls: TlsMaterial,
  ) {
    this.http = createHttpServer(handler);
    this.https = createHttpsServer(
      { cert: tls.cert, key: tls.key, ca: tls.ca },
      handler,
    );
    for (const server of [this.http, this.https]) {
      server.keepAliveTimeout = 5000;
    }
    // A failed handshake (e.g. a client that does not trust the CA) only
    // ends that connection.
    this.https.on('tlsClientError', (_error, socket) => socket.destroy());
    this.server = createNetServer(socket => this.dispatch(socket));
  }

  /** Starts listening; resolves to the bound port. */
  async listen(): Promise<number> {
    await this.bind(this.port);
    const address: AddressInfo | string | null = this.server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : 0;
    return this.boundPort;
  }

  get listeningPort(): number {
    return this.boundPort;
  }

  /** Whether the server currently accepts connections. */
  get isAvailable(): boolean {
    return this.available === undefined;
  }

  /**
   * Stops accepting connections and drops the open ones for `durationMs`,
   * then listens on the same port again. Resolves once it is down.
   */
  async suspend(durationMs: number): Promise<void> {
    if (this.available) {
      return;
    }
    this.available = new Promise(resolve => {
      this.resolveAvailable = resolve;
    });
    await this.closeListener();
    this.resumeTimer = setTimeout(() => {
      this.bind(this.boundPort)
        .catch(() => undefined)
        .finally(() => {
          this.available = undefined;
          this.resolveAvailable?.();
        });
    }, durationMs);
    this.resumeTimer.unref?.();
  }

  /** Resolves when the server accepts connections (at once if it does). */
  whenAvailable(): Promise<void> {
    return this.available ?? Promise.resolve();
  }

  async close(): Promise<void> {
    clearTimeout(this.resumeTimer);
    this.available = undefined;
    this.resolveAvailable?.();
    await this.closeListener();
  }

  /**
   * Hands a new connection to the HTTPS or the HTTP server by its first
   * byte, which is put back so that the chosen server reads it again.
   */
  private dispatch(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      const target = chunk[0] === TLS_HANDSHAKE ? this.https : this.http;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  }

  private bind(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        this.server.off('error', settle);
        this.server.off('listening', settle);
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      };
      this.server.once('error', settle);
      this.server.once('listening', settle);
      this.server.listen(port, this.host);
    });
  }

  private closeListener(): Promise<void> {
    return new Promise(resolve => {
      if (!this.server.listening) {
        this.destroySockets();
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.destroySockets();
    });
  }

  private destroySockets(): void {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
  }
}
