import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What one path (one recipient) received. */
export interface LaneRecord {
  /** lsids of requests answered 200, in order of arrival. */
  accepted: string[];
  /** lsids of every request whose body arrived, answered or not, in order of arrival. */
  arrived: string[];
  /** Every request, answered or not. */
  requests: number;
  inFlight: number;
  /** Requests that arrived while another one to the same path was still open. */
  overlaps: number;
}

export interface LaneReceiverOptions {
  /** Milliseconds each request is held before its answer; a function for a varying delay. */
  delayMs?: number | (() => number);
  /** Answers 500 when it returns true (after the delay). */
  fail?: (lsid: string) => boolean;
}

/**
 * One HTTP server on 127.0.0.1 standing for many recipients, one per path (`/r/NAME`). It
 * checks the rule a lane must keep across nodes: never two requests open to one recipient at
 * once. A request counts as open from its arrival until its response is sent or its
 * connection closes, whichever comes first.
 */
export class LaneReceiver {
  readonly lanes = new Map<string, LaneRecord>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly options: LaneReceiverOptions = {}) {}

  static async start(options: LaneReceiverOptions = {}): Promise<LaneReceiver> {
    const receiver = new LaneReceiver(options);
    await receiver.listen();
    return receiver;
  }

  urlFor(name: string): string {
    return `http://127.0.0.1:${this.port}/r/${name}`;
  }

  lane(name: string): LaneRecord {
    let record = this.lanes.get(name);
    if (record === undefined) {
      record = { accepted: [], arrived: [], requests: 0, inFlight: 0, overlaps: 0 };
      this.lanes.set(name, record);
    }
    return record;
  }

  get overlaps(): number {
    let total = 0;
    for (const record of this.lanes.values()) total += record.overlaps;
    return total;
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const name = (req.url ?? '').split('?')[0]?.replace(/^\/r\//, '') ?? '';
      const record = this.lane(name);
      record.requests++;
      if (record.inFlight > 0) record.overlaps++;
      record.inFlight++;
      let open = true;
      const close = () => {
        if (!open) return;
        open = false;
        record.inFlight--;
      };
      res.on('close', close);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const lsid = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('lsid') ?? '';
        record.arrived.push(lsid);
        const { delayMs = 0, fail } = this.options;
        const delay = typeof delayMs === 'function' ? delayMs() : delayMs;
        const answer = () => {
          if (!open) return;
          if (fail?.(lsid)) {
            close();
            res.statusCode = 500;
            res.end('no');
            return;
          }
          record.accepted.push(lsid);
          // Closed before the answer leaves: the next request may only start after it.
          close();
          res.end('ok');
        };
        if (delay > 0) setTimeout(answer, delay);
        else answer();
      });
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
