import type { EventSearch } from '../../admin-store.js';

/** The search as one statement with named parameters; only given criteria filter. */
export function searchEvents(search: EventSearch): {
  text: string;
  params: Record<string, unknown>;
} {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: search.limit };
  const add = (clause: string, name: string, value: unknown) => {
    if (value === undefined) return;
    where.push(clause);
    params[name] = value;
  };
  const oldest = search.order === 'oldest';
  add('lsid = @lsid', 'lsid', search.lsid);
  add('external_key = @external_key', 'external_key', search.externalKey);
  add('name = @name', 'name', search.name);
  add('accepted_at >= @from', 'from', search.from);
  add('accepted_at <= @to', 'to', search.to);
  add(
    'EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.state = @state)',
    'state',
    search.deliveryState,
  );
  add(oldest ? 'id > @after' : 'id < @after', 'after', search.afterId);
  return {
    text: `
SELECT id, uid, name, lsid, external_key, timestamp, body, accepted_at FROM events
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY id ${oldest ? 'ASC' : 'DESC'} LIMIT @limit`,
    params,
  };
}

export const EVENT_DELIVERIES = `
SELECT d.recipient_id, d.seq, d.event_id, e.uid, e.name, e.lsid, d.state, d.attempts,
  d.accepted_at, d.first_failed_at, d.next_attempt_at, d.last_attempt_at, d.last_status,
  d.last_error, d.delivered_at, d.failed_at
FROM deliveries d JOIN events e ON e.id = d.event_id
WHERE d.event_id = ? ORDER BY d.recipient_id`;
