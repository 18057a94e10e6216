import type { FastifyReply } from 'fastify';
import type { OperationsContext } from '../operations/context.js';
import type { WebSession } from '../store/admin-store.js';
import type { DeliveryRate } from './delivery-rate.js';
import { recipientRows } from './recipient-rows.js';
import { SECURITY_HEADERS } from './security-headers.js';
import type { WebSessions } from './web-sessions.js';

interface Client {
  reply: FastifyReply;
  session: WebSession;
  /** The last rows sent, as JSON: nothing is sent while they stay the same. */
  last: string;
}

const TICK_MS = 1000;
/** Sessions are checked again every this many ticks: a signed-out tab stops receiving. */
const SESSION_CHECK_TICKS = 5;
/** A comment now and then, so that proxies do not close an idle stream. */
const PING_TICKS = 15;

/**
 * The recipients' status as server-sent events (`event: recipients`, the rows as JSON). One
 * timer for all connected pages: the rows are computed once per second and sent to the pages
 * whose last copy differs.
 */
export class RecipientStream {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private busy = false;

  constructor(
    private readonly ctx: Pick<OperationsContext, 'store' | 'dispatcher' | 'clock'>,
    private readonly rate: DeliveryRate,
    private readonly sessions: WebSessions,
    private readonly onError: (error: unknown) => void,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  open(reply: FastifyReply, session: WebSession): void {
    reply.hijack();
    reply.raw.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A reconnecting EventSource waits this long.
    reply.raw.write('retry: 2000\n\n');
    const client: Client = { reply, session, last: '' };
    this.clients.add(client);
    reply.raw.on('close', () => this.drop(client));
    this.timer ??= setInterval(() => void this.tick(), TICK_MS);
    void this.tick();
  }

  /** Ends every stream: the server is closing. */
  closeAll(): void {
    for (const client of this.clients) client.reply.raw.end();
    this.clients.clear();
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private drop(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.ticks++;
      if (this.ticks % SESSION_CHECK_TICKS === 0) await this.checkSessions();
      if (this.clients.size === 0) return;
      const data = JSON.stringify(await recipientRows(this.ctx, this.rate));
      const ping = this.ticks % PING_TICKS === 0;
      for (const client of this.clients) {
        if (client.last !== data) {
          client.last = data;
          client.reply.raw.write(`event: recipients\ndata: ${data}\n\n`);
        } else if (ping) client.reply.raw.write(': ping\n\n');
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.busy = false;
    }
  }

  private async checkSessions(): Promise<void> {
    for (const client of [...this.clients]) {
      if (!(await this.sessions.alive(client.session))) {
        client.reply.raw.end();
        this.drop(client);
      }
    }
  }
}
