import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new event id: `evt_` and a ULID (48-bit time, 80 random bits, Crockford base32), so ids
 * sort by creation time and are unique across processes and databases.
 */
export function newEventUid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += ALPHABET[randomByte() % 32];
  return `evt_${time}${random}`;
}

// One system call per 4 KiB of randomness instead of one per id: ingest makes an id per event.
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++] as number;
}
