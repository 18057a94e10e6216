import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The files of one SQLite database: the database itself, its write-ahead log and shared
 * memory (present while a connection is open, removed by the last clean close), the ack log
 * (kept across clean stops, see ack-journal.ts) and the marker a process leaves when it found
 * the database gone from under it.
 */
export const companionsOf = (path: string) => ({
  wal: `${path}-wal`,
  shm: `${path}-shm`,
  acks: `${path}-acks`,
  lost: `${path}-lost`,
});

/** The database is missing, or was lost under a process, and a new empty one would hide it. */
export class DatabaseMissingError extends Error {
  readonly code = 'OUTBOUND_DATABASE_MISSING';

  constructor(message: string) {
    super(message);
    this.name = 'DatabaseMissingError';
  }
}

/**
 * Refuses to open `path` when its files say a database was there and is gone (or was
 * replaced under a running process): opening would create a new, empty database, or replay an
 * old write-ahead log into another file, and every event acknowledged before would be lost
 * without a word. A folder with none of the files is new, and gets a new database.
 */
export function refuseLostDatabase(path: string): void {
  const files = companionsOf(path);
  if (existsSync(files.lost)) {
    const note = readFileSync(files.lost, 'utf8').trim().split('\n')[0];
    // The -wal and -shm there belong to the lost file: opened with another, SQLite would
    // replay that log into it.
    const stale = [files.wal, files.shm].filter((file) => existsSync(file));
    const clear = [...stale, files.lost].join(' and ');
    throw new DatabaseMissingError(
      `the database ${path} was lost under a running outbound serve (${note}): events acknowledged before then may be missing from ${existsSync(path) ? 'the file there now' : 'this folder'}; restore the database from a backup (with its -acks file), or keep what is there, then remove ${clear}`,
    );
  }
  if (existsSync(path)) return;
  const traces = [files.acks, files.wal, files.shm].filter((file) => existsSync(file));
  if (traces.length === 0) return;
  throw new DatabaseMissingError(
    `the database file ${path} is missing, but ${traces.join(' and ')} show${traces.length === 1 ? 's' : ''} that a database was there (deleted or moved?): restore it from a backup, with its -acks file; or, to start a new empty database, remove ${traces.join(' and ')}`,
  );
}

type Identity = { dev: number; ino: number };

/**
 * Tells whether the files at the database's paths are still the ones the connection opened:
 * compared by device and inode, so that a file deleted, moved away or replaced by a rename is
 * seen, whatever its contents.
 */
export class DatabaseFiles {
  private readonly opened = new Map<string, Identity>();
  private readonly names: [path: string, what: string][];

  constructor(readonly path: string) {
    const { wal, shm } = companionsOf(path);
    this.names = [
      [path, 'the database file'],
      [wal, "the database's write-ahead log"],
      [shm, "the database's shared-memory file"],
    ];
  }

  /** What is wrong with the files; undefined while they are the ones in use. */
  problem(): string | undefined {
    for (const [file, what] of this.names) {
      const now = statSync(file, { throwIfNoEntry: false });
      const then = this.opened.get(file);
      if (then === undefined) {
        // The write-ahead log and shared memory appear with the first read or write; they are
        // not removed while the connection is open.
        if (now !== undefined) this.opened.set(file, { dev: now.dev, ino: now.ino });
        continue;
      }
      if (now === undefined) return `${what} ${file} was deleted or moved away while in use`;
      if (now.dev !== then.dev || now.ino !== then.ino) {
        return `${what} ${file} was replaced by another file while in use`;
      }
    }
    return undefined;
  }

  /** Leaves the trace that makes the next start refuse (see refuseLostDatabase). */
  markLost(reason: string): void {
    try {
      // Even when the whole folder went: a restart must not start empty there without a word.
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(
        companionsOf(this.path).lost,
        `${new Date().toISOString()} pid ${process.pid}: ${reason}\n`,
        { flag: 'wx' },
      );
    } catch {
      // Already marked, or not writable: the running process refuses all the same.
    }
  }
}
