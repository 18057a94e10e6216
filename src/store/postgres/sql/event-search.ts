import type { QueryConfig } from 'pg';
import type { EventSearch } from '../../admin-store.js';

/** The search as one statement; only given criteria filter. */
export function searchEvents(search: EventSearch): QueryConfig {
  const values: unknown[] = [search.limit];
  const where: string[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    if (value !== undefined) where.push(clause(`$${values.push(value)}`));
  };
  const oldest = search.order === 'oldest';
  add((n) => `lsid = ${n}`, search.lsid);
  add((n) => `external_key = ${n}`, search.externalKey);
  add((n) => `name = ${n}`, search.name);
  add((n) => `accepted_at >= ${n}`, search.from);
  add((n) => `accepted_at <= ${n}`, search.to);
  add(
    (n) => `EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.state = ${n})`,
    search.deliveryState,
  );
  add((n) => (oldest ? `id > ${n}` : `id < ${n}`), search.afterId);
  return {
    text: `
SELECT id, uid, name, lsid, external_key, timestamp, body, accepted_at FROM events
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY id ${oldest ? 'ASC' : 'DESC'} LIMIT $1`,
    values,
  };
}

export const EVENT_DELIVERIES = `
SELECT d.recipient_id, d.seq, d.event_id, e.uid, e.name, e.lsid, d.state, d.attempts,
  d.accepted_at, d.first_failed_at, d.next_attempt_at, d.last_attempt_at, d.last_status,
  d.last_error, d.delivered_at, d.failed_at
FROM deliveries d JOIN events e ON e.id = d.event_id
WHERE d.event_id = $1 ORDER BY d.recipient_id`;
