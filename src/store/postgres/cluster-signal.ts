import type { ClusterSignal } from '../cluster-store.js';

/** NOTIFY payloads must stay under 8,000 bytes; past this, a wake-up names every lane. */
const MAX_PAYLOAD = 7000;

/**
 * `w:1,2,3` (work for these lanes), `w:*` (for any), `c:5` (lane 5's queue changed), `n:`
 * (nodes or leases changed).
 */
export function encodeSignal(signal: ClusterSignal): string {
  if (signal.kind === 'nodes') return 'n:';
  if (signal.kind === 'changed') return `c:${signal.recipientId}`;
  if (signal.recipientIds === 'all') return 'w:*';
  const payload = `w:${signal.recipientIds.join(',')}`;
  return payload.length > MAX_PAYLOAD ? 'w:*' : payload;
}

/** Undefined for a payload this version does not know (sent by a newer one): ignored. */
export function decodeSignal(payload: string): ClusterSignal | undefined {
  const body = payload.slice(2);
  if (payload === 'n:') return { kind: 'nodes' };
  if (payload.startsWith('c:')) {
    const id = Number(body);
    return Number.isSafeInteger(id) && id > 0 ? { kind: 'changed', recipientId: id } : undefined;
  }
  if (!payload.startsWith('w:')) return undefined;
  if (body === '*') return { kind: 'work', recipientIds: 'all' };
  const ids = body.split(',').map(Number);
  return ids.every((id) => Number.isSafeInteger(id) && id > 0)
    ? { kind: 'work', recipientIds: ids }
    : undefined;
}
