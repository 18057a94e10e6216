import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AnswerOptions, answerPolicy } from './answer-policy.js';
import type { ReceivedRecord } from './format.js';
import { inspectRequest } from './inspect.js';

export interface ListenerOptions extends AnswerOptions {
  /** TCP port; 0 picks a free one. Default 9000. */
  port?: number;
  /** Interface. Default 127.0.0.1. */
  host?: string;
  /** Wait this long before answering each request. Default 0. */
  delayMs?: number;
  /** Called for every request, as soon as it has arrived (before any delay). */
  onRecord?: (record: ReceivedRecord) => void;
  /** Larger bodies are cut (and flagged). Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface ListenerStats {
  requests: number;
  /** Requests whose `event` names a schema-1 event (retries included). */
  events: number;
  /** Requests with at least one problem. */
  problems: number;
  /** Requests answered with a failure on purpose. */
  failures: number;
}

const INTERESTING_HEADER = /^(content-type|user-agent|webhook-.*|x-.*)$/;
/** Remembered webhook-ids, to mark re-sends; forgotten in bulk past this many. */
const MAX_REMEMBERED_IDS = 100_000;

/**
 * A receiver for development: answers every request (200 unless told to fail some), and
 * reports each one with whatever schema 1 would not accept.
 */
export class Listener {
  readonly stats: ListenerStats = { requests: 0, events: 0, problems: 0, failures: 0 };
  private readonly seen = new Set<string>();
  private readonly delayed = new Map<NodeJS.Timeout, ServerResponse>();
  private readonly answer: ReturnType<typeof answerPolicy>;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly options: ListenerOptions,
  ) {
    this.answer = answerPolicy(options);
    server.on('request', (req, res) => this.receive(req, res));
  }

  static async start(options: ListenerOptions = {}): Promise<Listener> {
    const server = createServer();
    // Senders keep connections open between events; do not make them reconnect every 5 s.
    server.keepAliveTimeout = 30_000;
    const listener = new Listener(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 9000, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return listener;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** e.g. `http://127.0.0.1:9000/` */
  get url(): string {
    const { address } = this.server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return `http://${host}:${this.port}/`;
  }

  /** Stops listening and drops every connection, including requests still being delayed. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const [timer, res] of this.delayed) {
        clearTimeout(timer);
        res.destroy();
      }
      this.delayed.clear();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const limit = this.options.maxBodyBytes ?? 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    req.on('data', (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        truncated = true;
        chunk = chunk.subarray(0, Math.max(0, limit - size));
      }
      size += chunk.length;
      if (chunk.length > 0) chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => this.respond(req, res, Buffer.concat(chunks), truncated));
  }

  private respond(req: IncomingMessage, res: ServerResponse, body: Buffer, truncated: boolean) {
    const method = req.method ?? '';
    const path = req.url ?? '';
    const inspection = inspectRequest({
      method,
      path,
      contentType: req.headers['content-type'],
      body,
      truncated,
    });
    const { status, failed } = this.answer();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && INTERESTING_HEADER.test(name)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    const record: ReceivedRecord = {
      receivedAt: new Date().toISOString(),
      method,
      path,
      status,
      failed,
      resent: this.remember(headers['webhook-id']),
      headers,
      event: inspection.event,
      lsid: inspection.lsid,
      variables: inspection.variables,
      problems: inspection.problems,
      ...(inspection.rawBody === undefined ? {} : { body: inspection.rawBody }),
      ...(inspection.recipientOptions === undefined
        ? {}
        : { recipientOptions: inspection.recipientOptions }),
    };
    this.stats.requests++;
    if (inspection.isEvent) this.stats.events++;
    if (record.problems.length > 0) this.stats.problems++;
    if (failed) this.stats.failures++;
    this.options.onRecord?.(record);

    const send = () => {
      res
        .writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
        .end(failed ? `failing on purpose (${status})\n` : 'ok\n');
    };
    const delayMs = this.options.delayMs ?? 0;
    if (delayMs <= 0) return send();
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      send();
    }, delayMs);
    this.delayed.set(timer, res);
  }

  private remember(webhookId: string | undefined): boolean {
    if (webhookId === undefined) return false;
    if (this.seen.has(webhookId)) return true;
    if (this.seen.size >= MAX_REMEMBERED_IDS) this.seen.clear();
    this.seen.add(webhookId);
    return false;
  }
}

/** `12 requests, 11 events, 1 with problems, 3 failures answered` */
export function summarize(stats: ListenerStats): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    plural(stats.requests, 'request'),
    plural(stats.events, 'event'),
    `${stats.problems} with problems`,
    `${plural(stats.failures, 'failure')} answered`,
  ].join(', ');
}
