import type { WriterHolder, WriterLock } from '../writer-lock.js';
import type { SqliteConnection } from './database.js';
import { GET_WRITER, PUT_WRITER, RELEASE_WRITER, RENEW_WRITER } from './sql/writer-lock.js';

/** The writer_lock row of the SQLite file: read and replaced under the write lock. */
export class SqliteWriterLock implements WriterLock {
  constructor(
    private readonly conn: SqliteConnection,
    private readonly on: {
      /** This process holds the lock now. */
      acquired?: () => void;
      /** This process found its lock held by another. */
      lost?: () => void;
      /** Throws when the database's files are no longer the ones open: run at each renewal. */
      verify?: () => void;
    } = {},
  ) {}

  watch(onBroken: (cause: Error) => void): () => void {
    return this.conn.health.onChange((state) => {
      if (state === 'lost') onBroken(this.conn.health.error());
    });
  }

  async take(
    me: Omit<WriterHolder, 'acquiredAt' | 'seenAt'>,
    now: number,
    mayReplace: (holder: WriterHolder) => boolean,
  ): Promise<WriterHolder | undefined> {
    const refused = this.conn.transaction('FULL', () => {
      const holder = this.conn.statement(GET_WRITER).get() as WriterHolder | undefined;
      if (holder !== undefined && holder.token !== me.token && !mayReplace(holder)) return holder;
      this.conn.statement(PUT_WRITER).run({ ...me, now });
      return undefined;
    });
    if (refused === undefined) this.on.acquired?.();
    return refused;
  }

  async renew(token: string, now: number): Promise<boolean> {
    // The renewal is the timer that notices a database deleted or replaced under the process.
    this.on.verify?.();
    const renew = this.conn.statement(RENEW_WRITER);
    // It rewrites one row in place: its success does not show a failing store writable.
    const held = this.conn.transaction('NORMAL', () => renew.run(now, token).changes > 0);
    if (!held) this.on.lost?.();
    return held;
  }

  async release(token: string): Promise<void> {
    const release = this.conn.statement(RELEASE_WRITER);
    this.conn.transaction('FULL', () => release.run(token));
  }
}
