import pg from 'pg';

/**
 * Which pool: `on` and `off` are the `synchronous_commit` a transaction commits with;
 * `control` (also `on`) is kept for node heartbeats and lane leases.
 */
export type SyncLevel = 'on' | 'off' | 'control';

const statementNames = new Map<string, string>();

/**
 * A named query: each connection parses and plans it once, then only binds and runs it (a
 * saving of a round of parsing on every delivery's write). For the hot statements only: a
 * connection keeps every statement it prepared.
 */
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `outbound_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** What the SQL of this backend needs of a connection: one query at a time. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** Runs `step` between BEGIN and COMMIT on the checked-out client; ROLLBACK when it throws. */
export type InTransaction = <T>(step: () => Promise<T>) => Promise<T>;

/**
 * Runs `fn` on a client checked out of `pool`, with `inTransaction` for its transactions.
 * A connection cut while checked out (server restart) emits 'error' on the client, which
 * would be uncaught: it is noted, the query under way fails on its own, and a client that
 * broke or could not roll back is closed rather than given back for reuse.
 */
export async function withClient<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient, inTransaction: InTransaction) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const lost = (error: Error) => {
    broken = error;
  };
  client.on('error', lost);
  const inTransaction: InTransaction = async (step) => {
    await client.query('BEGIN');
    try {
      const result = await step();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  };
  try {
    return await fn(client, inTransaction);
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}

/**
 * int8 (BIGSERIAL ids, millisecond times, count(*)) parsed as JS numbers: every value we
 * store stays far below 2^53. Per pool, so that other users of `pg` in the process keep the
 * driver's default (strings).
 */
function numericInt8(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (text: string) => Number(text));
  return types;
}

/**
 * Two pools on one database, one per durability level. `on` (the server default: the commit
 * waits for its WAL flush) for what the API acknowledges and what an administrator changes;
 * `off` for a lane's bookkeeping (acks, failures, set-asides, pruning). An `off` commit is
 * visible at once and survives a killed Outbound process; only a crash of the database server
 * can lose the last few hundred milliseconds of it, and since WAL is replayed in order what is
 * lost is a suffix: acks come back as pending (re-sends, never skips). Being a connection
 * setting, `off` costs no extra round trip, so an ack stays one statement.
 *
 * A third, small pool, `control`, serves heartbeats and lease claims only: behind a queue of
 * lane queries in a busy shared pool a heartbeat would come late, and a node that misses its
 * lease stops every lane (and re-sends their heads) although nothing was wrong.
 */
export class PostgresConnection {
  private readonly pools: Record<SyncLevel, pg.Pool>;
  private closed = false;

  constructor(url: string) {
    const types = numericInt8();
    const pool = (options: string | undefined, max = 10) => {
      const created = new pg.Pool({
        connectionString: url,
        types,
        max,
        application_name: 'outbound',
        ...(options === undefined ? {} : { options }),
      });
      // An idle connection that breaks (server restart) is dropped by the pool; the next
      // query opens a new one, and a query that fails reports it there.
      created.on('error', () => {});
      return created;
    };
    this.pools = {
      on: pool(undefined),
      off: pool('-c synchronous_commit=off'),
      control: pool(undefined, 2),
    };
  }

  /** A pool committing at the given level, for single statements (each its own transaction). */
  pool(level: SyncLevel = 'on'): pg.Pool {
    return this.pools[level];
  }

  /** The rows one statement returns, run on the `on` pool. */
  async rows<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    return (await this.pool().query<R>(text, values)).rows;
  }

  /** The first row one statement returns, converted; undefined when it returns none. */
  async first<R extends object, T>(
    text: string,
    values: unknown[],
    convert: (row: R) => T,
  ): Promise<T | undefined> {
    const [row] = await this.rows<R>(text, values);
    return row === undefined ? undefined : convert(row);
  }

  /** Runs `fn` in one transaction committed at the given durability. */
  transaction<T>(level: SyncLevel, fn: (client: Queryable) => Promise<T>): Promise<T> {
    return withClient(this.pools[level], (client, inTransaction) =>
      inTransaction(() => fn(client)),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(Object.values(this.pools).map((pool) => pool.end()));
  }
}
