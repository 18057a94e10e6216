import pg from 'pg';
import { type LaneFence, LeaseLostError } from '../cluster-store.js';
import { type PostgresConnection, prepared } from './database.js';
import { laneWrite } from './lane-write.js';
import { runShort, type ShortParam, type ShortResult } from './short-statement.js';
import { MARK_DELIVERED, MARK_DELIVERED_BATCH, MARK_DELIVERED_FENCED } from './sql/acks.js';

/** A lane's 200, as the batched statement takes it. */
export interface Ack {
  recipientId: number;
  seq: number;
  at: number;
  status: number | null;
  latencyMs: number;
  fence?: LaneFence | undefined;
}

interface Waiting extends Ack {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface AckBatcherOptions {
  /** Most acks in one statement. Default 500. */
  maxBatch?: number;
}

/** A lone ack as $1 to $5 of MARK_DELIVERED. */
const values = (ack: Ack) => [ack.recipientId, ack.seq, ack.at, ack.status, ack.latencyMs];

/**
 * Sends the lanes' acks in batches: one statement for many lanes instead of one per delivery,
 * which was the largest per-delivery cost of a wide drain, for this process's CPU and the
 * server's alike. An ack that finds no batch in flight goes at once, alone, so a lone lane
 * waits no longer than before; acks arriving meanwhile wait for that batch to return, then go
 * together. No timer: the batches grow with the load.
 */
export class AckBatcher {
  private queue: Waiting[] = [];
  private running: Promise<void> | undefined;
  private readonly maxBatch: number;
  /**
   * One batch is in flight at a time, so it keeps one connection of the `off` pool: checking
   * one out and back in for every ack cost about 30 µs of a lone lane's ~600 µs delivery.
   */
  private client: pg.PoolClient | undefined;
  private broken: Error | undefined;
  /** What went to the server so far: acks, statements, and the most acks in one. */
  readonly sent = { acks: 0, statements: 0, largest: 0 };

  constructor(
    private readonly conn: PostgresConnection,
    options: AckBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  /**
   * Resolves once the ack is committed (or found its delivery moved on); rejects with
   * LeaseLostError when its fence was refused, and with the error when its batch failed.
   */
  submit(ack: Ack): Promise<void> {
    if (this.running === undefined && this.client !== undefined) return this.alone(ack);
    return new Promise((resolve, reject) => {
      this.queue.push({ ...ack, resolve, reject });
      // Runs up to its first query now: a lone ack is sent before submit returns.
      this.running ??= this.run();
    });
  }

  /**
   * Nothing in flight and a connection at hand, the usual case of a lone lane: the ack goes at
   * once, without the queue, and the acks submitted meanwhile wait for it as for any batch.
   * The same statements and outcomes as writeOne, a few promise turns fewer on the path the
   * lane waits on.
   */
  private alone(ack: Ack): Promise<void> {
    this.count(1);
    const sent = this.writeAlone(ack);
    const next = () => this.run();
    this.running = sent.then(next, next);
    return sent;
  }

  private async writeAlone(ack: Ack): Promise<void> {
    try {
      await laneWrite(
        this.shortOnKept,
        MARK_DELIVERED,
        MARK_DELIVERED_FENCED,
        values(ack),
        ack.fence,
      );
    } catch (error) {
      if (!(error instanceof LeaseLostError)) this.failed(this.client, error);
      throw error;
    }
  }

  /** The kept connection, which alone() found there, the short way. */
  private readonly shortOnKept = (config: pg.QueryConfig): Promise<ShortResult> => {
    const client = this.client;
    if (client === undefined) return this.short(config);
    return runShort(
      client,
      config.name as string,
      config.text,
      (config.values ?? []) as ShortParam[],
    );
  };

  /** Resolves once every ack submitted so far, and any submitted meanwhile, is settled. */
  async drain(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** Settles every ack, then gives the connection back (before its pool ends). */
  async close(): Promise<void> {
    await this.drain();
    this.client?.release(this.broken);
    this.client = undefined;
  }

  private async connect(): Promise<pg.PoolClient> {
    const client = await this.conn.pool('off').connect();
    this.broken = undefined;
    // A connection cut while idle (server restart) would emit an uncaught 'error'; the next
    // query on it fails, and it is discarded then.
    client.on('error', (error) => {
      this.broken = error;
    });
    this.client = client;
    return client;
  }

  private query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    return this.onClient((client) => client.query<R>(config));
  }

  /** A lone ack's statement the short way (short-statement.ts): its parameters are scalars. */
  private short(config: pg.QueryConfig): Promise<ShortResult> {
    const { name, text, values } = config;
    return this.onClient((client) =>
      runShort(client, name as string, text, (values ?? []) as ShortParam[]),
    );
  }

  private async onClient<T>(send: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = this.client ?? (await this.connect());
    try {
      return await send(client);
    } catch (error) {
      this.failed(client, error);
      throw error;
    }
  }

  /** A statement failed on `client`: unless the server only refused it, the connection goes. */
  private failed(client: pg.PoolClient | undefined, error: unknown): void {
    // The server refused the statement: the connection itself is fine.
    if (client === undefined || (error instanceof pg.DatabaseError && this.broken === undefined)) {
      return;
    }
    client.release(error as Error);
    if (this.client === client) this.client = undefined;
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          await this.write(batch);
        } catch (error) {
          // The lanes pause and read their queues again: nothing of this batch is known.
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Up to maxBatch acks in arrival order, one per lane: a lane's second ack waits for the
   * next batch, so that it sees the first one's outcome as it would have one at a time.
   */
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const lanes = new Set<number>();
    for (const waiting of this.queue) {
      if (batch.length < this.maxBatch && !lanes.has(waiting.recipientId)) {
        lanes.add(waiting.recipientId);
        batch.push(waiting);
      } else {
        rest.push(waiting);
      }
    }
    this.queue = rest;
    return batch;
  }

  private count(acks: number): void {
    this.sent.acks += acks;
    this.sent.statements++;
    this.sent.largest = Math.max(this.sent.largest, acks);
  }

  private async write(batch: Waiting[]): Promise<void> {
    this.count(batch.length);
    if (batch.length === 1) return this.writeOne(batch[0] as Waiting);
    const recipientIds: number[] = [];
    const seqs: number[] = [];
    const ats: number[] = [];
    const statuses: (number | null)[] = [];
    const latencies: number[] = [];
    const owners: (number | null)[] = [];
    const tokens: (number | null)[] = [];
    for (const ack of batch) {
      recipientIds.push(ack.recipientId);
      seqs.push(ack.seq);
      ats.push(ack.at);
      statuses.push(ack.status);
      latencies.push(ack.latencyMs);
      owners.push(ack.fence?.node ?? null);
      tokens.push(ack.fence?.token ?? null);
    }
    const values = [recipientIds, seqs, ats, statuses, latencies, owners, tokens];
    const query = prepared(MARK_DELIVERED_BATCH, values);
    const { rows } = await this.query<{ i: number }>(query);
    const refused = new Set(rows.map((row) => row.i));
    for (const [index, ack] of batch.entries()) {
      if (refused.has(index + 1)) ack.reject(new LeaseLostError(ack.recipientId));
      else ack.resolve();
    }
  }

  /**
   * A lone ack: the plain statement, planned once per connection, which is cheaper alone, and
   * sent the short way, since the lane waits for it before its next request.
   */
  private async writeOne(ack: Waiting): Promise<void> {
    const run = (query: pg.QueryConfig) => this.short(query);
    await laneWrite(run, MARK_DELIVERED, MARK_DELIVERED_FENCED, values(ack), ack.fence).then(
      () => ack.resolve(),
      (error) => {
        // Refused: this ack's own outcome. Anything else fails the batch, as for many.
        if (!(error instanceof LeaseLostError)) throw error;
        ack.reject(error);
      },
    );
  }
}
