import pg from 'pg';
import type { ClusterSignal, ClusterStore } from '../cluster-store.js';
import { decodeSignal, encodeSignal } from './cluster-signal.js';
import type { PostgresConnection } from './database.js';
import {
  CHANNEL,
  CLAIM_LANES,
  DELETE_NODE,
  FORGET_DEAD_NODES,
  HELD_LANES,
  LIVE_NODES,
  NOTIFY,
  REGISTER_NODE,
  RELEASE_ALL,
  RELEASE_LANES,
  RENEW_NODE,
} from './sql/cluster.js';

/** Waits between attempts to get the listening connection back, doubling up to the last. */
const RECONNECT_DELAYS_MS = [100, 250, 500, 1000, 2000];

/**
 * Leases and wake-ups on PostgreSQL. Lease changes commit with synchronous_commit on: a claim
 * lost to a server crash could otherwise hand one lane to two nodes with the same token.
 */
export class PostgresCluster implements ClusterStore {
  constructor(
    private readonly conn: PostgresConnection,
    private readonly url: string,
  ) {}

  async register(name: string, leaseMs: number): Promise<number> {
    const pool = this.conn.pool('control');
    await pool.query(FORGET_DEAD_NODES);
    const { rows } = await pool.query<{ id: number }>(REGISTER_NODE, [name, leaseMs]);
    return (rows[0] as { id: number }).id;
  }

  async renew(node: number, leaseMs: number): Promise<boolean> {
    return ((await this.conn.pool('control').query(RENEW_NODE, [node, leaseMs])).rowCount ?? 0) > 0;
  }

  async liveNodes(): Promise<number[]> {
    const { rows } = await this.conn.pool('control').query<{ id: number }>(LIVE_NODES);
    return rows.map((row) => row.id);
  }

  async claim(node: number, recipientIds: number[]): Promise<Map<number, number>> {
    return this.conn.transaction('control', async (client) => {
      if (recipientIds.length > 0) await client.query(CLAIM_LANES, [node, recipientIds]);
      const { rows } = await client.query<{ recipient_id: number; token: number }>(HELD_LANES, [
        node,
      ]);
      return new Map(rows.map((row) => [row.recipient_id, row.token]));
    });
  }

  async release(node: number, lanes: ReadonlyMap<number, number>): Promise<void> {
    if (lanes.size === 0) return;
    await this.conn
      .pool('control')
      .query(RELEASE_LANES, [node, [...lanes.keys()], [...lanes.values()]]);
  }

  async deregister(node: number): Promise<void> {
    await this.conn.transaction('control', async (client) => {
      await client.query(RELEASE_ALL, [node]);
      await client.query(DELETE_NODE, [node]);
    });
  }

  async signal(signal: ClusterSignal): Promise<void> {
    await this.conn.pool().query(NOTIFY, [encodeSignal(signal)]);
  }

  async listen(handler: (signal: ClusterSignal) => void): Promise<() => Promise<void>> {
    const listener = new Listener(this.url, handler);
    await listener.connect();
    return () => listener.close();
  }
}

/**
 * One connection that LISTENs, kept open: a broken one (server restart, network) is replaced,
 * and since notifications sent meanwhile are lost, the handler then hears "look again".
 */
class Listener {
  private client: pg.Client | null = null;
  private closed = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly handler: (signal: ClusterSignal) => void,
  ) {}

  async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'outbound-listen',
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || message.payload === undefined) return;
      const signal = decodeSignal(message.payload);
      if (signal !== undefined) this.handler(signal);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => {});
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.failures = 0;
  }

  private reconnectLater(): void {
    if (this.closed) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.failures, RECONNECT_DELAYS_MS.length - 1)];
    this.failures++;
    this.retry = setTimeout(() => {
      this.connect().then(
        () => this.handler({ kind: 'nodes' }),
        () => this.reconnectLater(),
      );
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
