/**
 * `node --import tsx bench/pg-lane-ops.ts [N]` — what one lane's delivery costs on PostgreSQL,
 * without HTTP: the store's own calls, in process, on a fresh database of the bench's server
 * (an embedded PostgreSQL, or OUTBOUND_BENCH_DATABASE_URL). For each kind of operation, wall
 * time per operation (one after another, as a lone lane makes them), this process's CPU and
 * the server's CPU and the WAL it wrote per operation:
 *
 * - `SELECT 1`: the floor, a round trip that does nothing;
 * - `ack, fenced`: markDelivered under a lease, as `outbound serve` acks (the lane's write
 *   after each 200; synchronous_commit off);
 * - `ack, unfenced`: the same without the lease check;
 * - `ack statement, pg's query path` and `…, short path`: the fenced ack statement alone on a
 *   connection like the store's, sent through pg's Query or the way a lone ack goes
 *   (short-statement.ts), side by side;
 * - `read ahead`: pendingDeliveries of 128 (a lane reads its queue 128 at a time), per delivery.
 *
 * The acks take the N queued deliveries in order, as a lane does. Rounds alternate the kinds.
 */
import { cpuUsage } from 'node:process';
import pg from 'pg';
import { openStore } from '../src/store/open.js';
import { prepared } from '../src/store/postgres/database.js';
import { runShort, type ShortParam } from '../src/store/postgres/short-statement.js';
import { MARK_DELIVERED_FENCED } from '../src/store/postgres/sql/acks.js';
import type { PostgresStore } from '../src/store/postgres/store.js';
import type { AttemptOutcome } from '../src/types.js';
import { insertPostgresBacklog, preparePostgresStore } from './pg-harness.js';
import { postgres, stopPostgres } from './postgres.js';
import { cleanupNow, installCleanup } from './util.js';

interface Measured {
  wallUs: number;
  cpuUs: number;
  dbCpuUs: number;
  walBytes: number;
}

async function walLsn(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ b: string }>(
    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS b",
  );
  return Number(rows[0]?.b);
}

async function measure(
  server: { cpuSeconds(): number },
  raw: pg.Client,
  n: number,
  op: (i: number) => Promise<unknown>,
): Promise<Measured> {
  const wal0 = await walLsn(raw);
  const db0 = server.cpuSeconds();
  const cpu0 = cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  const wall = performance.now() - t0;
  const cpu = cpuUsage(cpu0);
  const db = server.cpuSeconds() - db0;
  return {
    wallUs: (wall * 1000) / n,
    cpuUs: (cpu.user + cpu.system) / n,
    dbCpuUs: (db * 1e6) / n,
    walBytes: ((await walLsn(raw)) - wal0) / n,
  };
}

async function main(): Promise<void> {
  installCleanup();
  const n = Number(process.argv[2] ?? 2000);
  const rounds = 3;
  const server = await postgres();
  const url = await server.createDatabase('lane_ops');
  const recipients = [0, 1, 2, 3].map((k) => ({
    name: `r${k}`,
    url: `http://127.0.0.1:9/r/${k}`,
    paused: true,
  }));
  const { recipientIds } = await preparePostgresStore(url, recipients);
  // Enough deliveries for every round's acks, for every recipient.
  await insertPostgresBacklog(url, n * rounds, recipients.length);
  const store = openStore(url) as PostgresStore;
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  // A connection like the store's `off` pool, for the ack statement on either path.
  const off = new pg.Client({ connectionString: url, options: '-c synchronous_commit=off' });
  await off.connect();
  try {
    const cluster = store.cluster;
    const node = await cluster.register('lane-ops', 60_000);
    const held = await cluster.claim(node, recipientIds);
    const [fencedId, plainId, queryPathId, shortPathId] = recipientIds as [
      number,
      number,
      number,
      number,
    ];
    const fence = { node, token: held.get(fencedId) as number };
    const seqs = async (id: number) =>
      (
        await raw.query<{ seq: string }>(
          'SELECT seq FROM deliveries WHERE recipient_id = $1 ORDER BY seq',
          [id],
        )
      ).rows.map((r) => Number(r.seq));
    const fencedSeqs = await seqs(fencedId);
    const plainSeqs = await seqs(plainId);
    const queryPathSeqs = await seqs(queryPathId);
    const shortPathSeqs = await seqs(shortPathId);
    const ackValues = (id: number, seq: number) => [
      id,
      seq,
      Date.now(),
      200,
      0.5,
      node,
      held.get(id),
    ];
    const outcome = (at: number): AttemptOutcome => ({
      at,
      status: 200,
      latencyMs: 0.5,
      errorCode: null,
      error: null,
      snippet: null,
    });
    const results: Record<string, Measured[]> = {};
    const note = (kind: string, m: Measured) => {
      results[kind] ??= [];
      (results[kind] as Measured[]).push(m);
    };
    for (let round = 0; round < rounds; round++) {
      const from = round * n;
      note(
        'SELECT 1',
        await measure(server, raw, n, () => raw.query({ name: 'one', text: 'SELECT 1' })),
      );
      note(
        'ack, fenced',
        await measure(server, raw, n, (i) =>
          store.markDelivered(
            { recipientId: fencedId, seq: fencedSeqs[from + i] as number, attempts: 0 },
            outcome(Date.now()),
            fence,
          ),
        ),
      );
      note(
        'ack, unfenced',
        await measure(server, raw, n, (i) =>
          store.markDelivered(
            { recipientId: plainId, seq: plainSeqs[from + i] as number, attempts: 0 },
            outcome(Date.now()),
          ),
        ),
      );
      note(
        "ack statement, pg's query path",
        await measure(server, raw, n, (i) =>
          off.query(
            prepared(
              MARK_DELIVERED_FENCED,
              ackValues(queryPathId, queryPathSeqs[from + i] as number),
            ),
          ),
        ),
      );
      note(
        'ack statement, short path',
        await measure(server, raw, n, (i) => {
          const config = prepared(
            MARK_DELIVERED_FENCED,
            ackValues(shortPathId, shortPathSeqs[from + i] as number),
          );
          return runShort(off, config.name as string, config.text, config.values as ShortParam[]);
        }),
      );
      const reads = Math.max(1, Math.floor(n / 128));
      const read = await measure(server, raw, reads, () => store.pendingDeliveries(fencedId, 128));
      note('read ahead (per delivery)', {
        wallUs: read.wallUs / 128,
        cpuUs: read.cpuUs / 128,
        dbCpuUs: read.dbCpuUs / 128,
        walBytes: read.walBytes / 128,
      });
    }
    process.stdout.write(
      `${n} operations per kind and round, ${rounds} rounds, ${server.kind}\n` +
        'kind                          wall µs/op   this process CPU µs/op   PostgreSQL CPU µs/op   WAL B/op\n',
    );
    for (const [kind, ms] of Object.entries(results)) {
      const median = (f: (m: Measured) => number) =>
        ms.map(f).sort((a, b) => a - b)[Math.floor(ms.length / 2)] as number;
      const cells = [
        kind.padEnd(30),
        median((m) => m.wallUs)
          .toFixed(0)
          .padStart(10),
        median((m) => m.cpuUs)
          .toFixed(0)
          .padStart(25),
        median((m) => m.dbCpuUs)
          .toFixed(0)
          .padStart(23),
        median((m) => m.walBytes)
          .toFixed(0)
          .padStart(11),
      ];
      process.stdout.write(`${cells.join('')}\n`);
    }
  } finally {
    await raw.end();
    await off.end();
    await store.close();
    await server.dropDatabase(url).catch(() => undefined);
    await stopPostgres();
  }
}

main().then(
  () => cleanupNow(),
  (error) => {
    process.stderr.write(`pg-lane-ops: ${(error as Error).stack ?? String(error)}\n`);
    cleanupNow();
    process.exitCode = 1;
  },
);
