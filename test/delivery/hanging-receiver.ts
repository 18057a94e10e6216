import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HungRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set when the sender gave the request up (its connection closed before any answer). */
  closedAt: number | null;
}

/**
 * A loopback receiver that reads each request and then never answers, while `hang` is true
 * (otherwise it answers 200): a receiver that accepts the connection and never responds.
 * Counts the requests left waiting and those the sender cut.
 */
export class HangingReceiver {
  readonly requests: HungRequest[] = [];
  hang = true;
  private readonly waiting = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<HangingReceiver> {
    const server = createServer();
    // A request fully read is never timed out by the server: it hangs until the sender quits.
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const receiver = new HangingReceiver(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => {
      receiver.sockets.add(socket);
      socket.on('close', () => receiver.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request: HungRequest = {
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          closedAt: null,
        };
        receiver.requests.push(request);
        if (!receiver.hang) {
          res.end('ok');
          return;
        }
        receiver.waiting.add(res);
        res.on('close', () => {
          receiver.waiting.delete(res);
          request.closedAt = Date.now();
        });
      });
    });
    return receiver;
  }

  /** A distinct URL per recipient, so that each shows in `requests` by its path. */
  url(path = 'hook'): string {
    return `http://127.0.0.1:${this.port}/${path}`;
  }

  /** Requests read and still waiting for their answer. */
  get open(): number {
    return this.waiting.size;
  }

  /** Requests the sender closed before getting an answer. */
  get cut(): number {
    return this.requests.filter((r) => r.closedAt !== null).length;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
