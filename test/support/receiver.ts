import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How the receiver answers: 200, another status, a redirect, or misbehaviour. */
export type ReceiverMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'reset' };

/**
 * A real HTTP receiver on 127.0.0.1. Records every request (including failed ones), and the
 * most requests it ever had in flight at once. `down()` stops listening; `up()` listens again
 * on the same port.
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Bodies of requests answered 200, in order. */
  readonly accepted: string[] = [];
  mode: ReceiverMode = { kind: 'ok' };
  /**
   * Optional: decides the answer per request (e.g. fail one event only). When it is unset or
   * returns undefined, `mode` decides.
   */
  modeFor: ((request: ReceivedRequest) => ReceiverMode | undefined) | undefined = undefined;
  maxInFlight = 0;
  private inFlight = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<ServerResponse>();
  port = 0;

  static async start(mode: ReceiverMode = { kind: 'ok' }): Promise<TestReceiver> {
    const receiver = new TestReceiver();
    receiver.mode = mode;
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const request: ReceivedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body,
          at: Date.now(),
        };
        this.requests.push(request);
        const done = () => this.inFlight--;
        const mode = this.modeFor?.(request) ?? this.mode;
        if (mode.kind === 'ok') {
          this.accepted.push(body);
          res.end('ok', done);
        } else if (mode.kind === 'status') {
          const headers: Record<string, string> = mode.retryAfter
            ? { 'retry-after': mode.retryAfter }
            : {};
          if (mode.status >= 300 && mode.status < 400) headers.location = '/elsewhere';
          res.writeHead(mode.status, headers).end(`status ${mode.status}`, done);
        } else if (mode.kind === 'hang') {
          this.hung.add(res);
          res.on('close', done);
        } else {
          done();
          req.socket.destroy();
        }
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every connection: the recipient is down. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.hung.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.down();
  }
}
