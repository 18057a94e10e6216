import type { SqliteDatabase } from '../../src/receiver/index.js';

export interface Ticket {
  lsid: string;
  external_key: string | null;
  status: 'open' | 'closed';
  /** conference_id of the current owner: `rep:12`, `team:5` or `general`. */
  assignee_id: string | null;
  assignee_name: string | null;
  /** Schema-1 timestamps (Unix seconds) of the session's begin and end. */
  opened_at: number;
  closed_at: number | null;
}

/**
 * One ticket per support session, keyed by lsid. Every write is idempotent (insert-or-ignore,
 * plain updates): Outbound delivers at least once, and a crash between our write and the
 * seen-store's record would replay the event.
 */
export class Tickets {
  constructor(private readonly db: SqliteDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS tickets (
      lsid TEXT PRIMARY KEY,
      external_key TEXT,
      status TEXT NOT NULL DEFAULT 'open',
      assignee_id TEXT,
      assignee_name TEXT,
      opened_at INTEGER NOT NULL,
      closed_at INTEGER
    )`);
  }

  /** Creates the session's ticket unless it exists (a retry, or an owner change came first). */
  open(lsid: string, at: number): void {
    this.db
      .prepare('INSERT INTO tickets (lsid, opened_at) VALUES (?, ?) ON CONFLICT (lsid) DO NOTHING')
      .run(lsid, at);
  }

  assign(lsid: string, at: number, conferenceId: string, conferenceName: string): void {
    this.open(lsid, at);
    this.db
      .prepare('UPDATE tickets SET assignee_id = ?, assignee_name = ? WHERE lsid = ?')
      .run(conferenceId, conferenceName, lsid);
  }

  close(lsid: string, at: number): void {
    this.open(lsid, at);
    this.db
      .prepare("UPDATE tickets SET status = 'closed', closed_at = ? WHERE lsid = ?")
      .run(at, lsid);
  }

  /** The external key arrives on any event once the session has one. */
  setExternalKey(lsid: string, externalKey: string): void {
    this.db.prepare('UPDATE tickets SET external_key = ? WHERE lsid = ?').run(externalKey, lsid);
  }

  get(lsid: string): Ticket | undefined {
    return this.db.prepare('SELECT * FROM tickets WHERE lsid = ?').get(lsid) as Ticket | undefined;
  }

  /** Runs `fn` in one transaction, so an event's changes land together or not at all. */
  transaction(fn: () => void): void {
    // Plain SQL, so that node:sqlite's DatabaseSync and better-sqlite3's Database both do.
    this.db.exec('BEGIN');
    try {
      fn();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
