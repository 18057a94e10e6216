import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * A recorded 200 not yet folded into the database. `attempts` is how many attempts the delivery
 * had before this one: the fold applies the record only while the row still has at most that
 * many, so a record can be applied twice, or after an operator re-queued the delivery, without
 * effect.
 */
export interface AckRecord {
  recipientId: number;
  seq: number;
  attempts: number;
  at: number;
  status: number | null;
  latencyMs: number;
}

/** Fixed size: u32 recipient, u32 attempts, f64 seq, at, latency, u16 status, u16 0, u32 CRC. */
export const RECORD_BYTES = 40;
const CRC_AT = 36;

export function encodeAck(record: AckRecord, into: Buffer = Buffer.alloc(RECORD_BYTES)): Buffer {
  into.writeUInt32LE(record.recipientId, 0);
  into.writeUInt32LE(record.attempts, 4);
  into.writeDoubleLE(record.seq, 8);
  into.writeDoubleLE(record.at, 16);
  into.writeDoubleLE(record.latencyMs, 24);
  into.writeUInt16LE(record.status ?? 0, 32);
  into.writeUInt16LE(0, 34);
  into.writeUInt32LE(crc32(into.subarray(0, CRC_AT)), CRC_AT);
  return into;
}

/**
 * The records of a log, in order, up to the first that is short or fails its CRC: a write
 * torn by a crash can only be the last one, and nothing after it is trusted.
 */
export function decodeAcks(bytes: Buffer): AckRecord[] {
  const records: AckRecord[] = [];
  for (let at = 0; at + RECORD_BYTES <= bytes.length; at += RECORD_BYTES) {
    const record = bytes.subarray(at, at + RECORD_BYTES);
    if (crc32(record.subarray(0, CRC_AT)) !== record.readUInt32LE(CRC_AT)) break;
    const status = record.readUInt16LE(32);
    records.push({
      recipientId: record.readUInt32LE(0),
      attempts: record.readUInt32LE(4),
      seq: record.readDoubleLE(8),
      at: record.readDoubleLE(16),
      latencyMs: record.readDoubleLE(24),
      status: status === 0 ? null : status,
    });
  }
  return records;
}

/** Every intact record of the log at `path`; none when there is no log. */
export function readAckLog(path: string): AckRecord[] {
  try {
    return decodeAcks(readFileSync(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The append side of the log, held by the one process that delivers. A `write` into the page
 * cache survives the process being killed, which is the guarantee a lane needs before its next
 * request; a power cut may lose the tail, as it may lose a `synchronous=NORMAL` commit.
 */
export class AckLogWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(RECORD_BYTES);
  /** Bytes known to hold whole records. */
  private size = 0;

  constructor(readonly path: string) {
    // O_APPEND: after `clear`, the next record goes to the start again.
    this.fd = openSync(path, 'a');
    ftruncateSync(this.fd, 0);
  }

  append(record: AckRecord): void {
    try {
      writeSync(this.fd, encodeAck(record, this.buffer));
      this.size += RECORD_BYTES;
    } catch (error) {
      // A short write must not sit in the middle of the log, hiding the records after it.
      try {
        ftruncateSync(this.fd, this.size);
      } catch {}
      throw error;
    }
  }

  /** The file at `path` is no longer the one written to (deleted, moved away or replaced). */
  detached(): boolean {
    const now = statSync(this.path, { throwIfNoEntry: false });
    if (now === undefined) return true;
    const mine = fstatSync(this.fd);
    return now.dev !== mine.dev || now.ino !== mine.ino;
  }

  /** Empties the log: call only once every record in it is committed to the database. */
  clear(): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
