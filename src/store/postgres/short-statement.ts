import type pg from 'pg';

/** A parameter as the statement takes it: sent as text, or NULL. */
export type ShortParam = number | string | null;

/** What a short statement answers: the rows its command reported (`UPDATE 1` → 1). */
export interface ShortResult {
  rowCount: number;
}

/**
 * The parts of pg's connection a short statement uses (pg's Query uses the same ones). They are
 * pg internals, not its API: package.json pins pg to an exact version for this reason, and
 * test/store/postgres-short-statement.test.ts must pass before any upgrade.
 */
interface WireConnection {
  stream: { writable: boolean; write(chunk: Buffer): boolean };
  /** Statements this connection's server has parsed, by name (pg's own bookkeeping). */
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

/**
 * A named statement sent the short way: Bind, Execute and Sync (and Parse, the first time on a
 * connection) in one buffer and one write, its parameters as text. pg's own query path also
 * builds a Query object and a result, converts each value, sends a Describe (whose NoData comes
 * back to be parsed) and writes four buffers with writev: for the lone ack that a lane waits on
 * after every 200, that was about a third of serve's PostgreSQL work per delivery (see
 * bench/pg-lane-ops.ts). For statements that return no rows the caller needs, such as UPDATE
 * without RETURNING or an existence check counted by its rows.
 *
 * Given to `client.query` as a pg Submittable: the client queues it like any query, hands it
 * the server's answers, and fails it on a server error or a lost connection. Parse bookkeeping
 * is pg's own (connection.parsedStatements), so a statement prepared through pg's Query on the
 * same connection is not parsed again, and the other way round.
 */
export class ShortStatement {
  readonly result: Promise<ShortResult>;
  private rowCount = 0;
  private settle!: { resolve: (result: ShortResult) => void; reject: (error: unknown) => void };

  constructor(
    readonly name: string,
    readonly text: string,
    private readonly values: readonly ShortParam[],
  ) {
    this.result = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  /** Called by pg's client when the connection is free for this statement. */
  submit(connection: pg.Connection): void {
    const wire = connection as unknown as WireConnection;
    if (!wire.stream.writable) {
      // pg's client fails the query on the connection's error; nothing to send meanwhile.
      return;
    }
    const parsed =
      wire.parsedStatements[this.name] !== undefined ||
      wire.submittedNamedStatements[this.name] !== undefined;
    const execution = encodeExecution(this.name, this.values);
    if (parsed) {
      wire.stream.write(execution);
      return;
    }
    // pg's client moves it to parsedStatements on ParseComplete (we have name and text), and
    // forgets it if the statement fails.
    wire.submittedNamedStatements[this.name] = this.text;
    wire.stream.write(Buffer.concat([encodeParse(this.name, this.text), execution]));
  }

  handleCommandComplete(message: { text: string }): void {
    const count = Number(message.text.slice(message.text.lastIndexOf(' ') + 1));
    this.rowCount = Number.isInteger(count) ? count : 0;
  }

  handleReadyForQuery(): void {
    this.settle.resolve({ rowCount: this.rowCount });
  }

  /** A server error (the client then forgets this statement) or a lost connection. */
  handleError(error: unknown): void {
    this.settle.reject(error);
  }

  // Rows are not read: no Describe was sent, so they come without a description.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}

/** Runs `text` (named `name`) with `values` on `client`, the short way. */
export function runShort(
  client: pg.ClientBase,
  name: string,
  text: string,
  values: readonly ShortParam[],
): Promise<ShortResult> {
  const statement = new ShortStatement(name, text, values);
  client.query(statement as unknown as pg.Submittable);
  return statement.result;
}

const PARSE = 0x50; // 'P'
const BIND = 0x42; // 'B'
const EXECUTE = 0x45; // 'E'
const SYNC = 0x53; // 'S'

/** Parse: the statement's name and text, parameter types left to the server. */
export function encodeParse(name: string, text: string): Buffer {
  const nameBytes = Buffer.byteLength(name);
  const textBytes = Buffer.byteLength(text);
  const length = 4 + nameBytes + 1 + textBytes + 1 + 2;
  const out = Buffer.allocUnsafe(1 + length);
  let at = out.writeUInt8(PARSE, 0);
  at = out.writeInt32BE(length, at);
  at += out.write(name, at);
  at = out.writeUInt8(0, at);
  at += out.write(text, at);
  at = out.writeUInt8(0, at);
  out.writeInt16BE(0, at);
  return out;
}

/**
 * Bind (unnamed portal, every parameter and result column as text), Execute (all rows) and
 * Sync, in one buffer.
 */
export function encodeExecution(name: string, values: readonly ShortParam[]): Buffer {
  const texts = values.map((value) => (value === null ? null : String(value)));
  let paramBytes = 0;
  for (const text of texts) paramBytes += 4 + (text === null ? 0 : Buffer.byteLength(text));
  const nameBytes = Buffer.byteLength(name);
  const bindLength = 4 + 1 + nameBytes + 1 + 2 + 2 + paramBytes + 2;
  const executeLength = 4 + 1 + 4;
  const out = Buffer.allocUnsafe(1 + bindLength + 1 + executeLength + 1 + 4);
  let at = out.writeUInt8(BIND, 0);
  at = out.writeInt32BE(bindLength, at);
  at = out.writeUInt8(0, at); // the unnamed portal
  at += out.write(name, at);
  at = out.writeUInt8(0, at);
  at = out.writeInt16BE(0, at); // no parameter format codes: all text
  at = out.writeInt16BE(texts.length, at);
  for (const text of texts) {
    if (text === null) {
      at = out.writeInt32BE(-1, at);
      continue;
    }
    const bytes = Buffer.byteLength(text);
    at = out.writeInt32BE(bytes, at);
    at += out.write(text, at);
  }
  at = out.writeInt16BE(0, at); // no result format codes: all text
  at = out.writeUInt8(EXECUTE, at);
  at = out.writeInt32BE(executeLength, at);
  at = out.writeUInt8(0, at); // the unnamed portal
  at = out.writeInt32BE(0, at); // every row
  at = out.writeUInt8(SYNC, at);
  out.writeInt32BE(4, at);
  return out;
}
