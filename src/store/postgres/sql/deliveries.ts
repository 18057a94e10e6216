import type { QueryConfig } from 'pg';
import type { DeliveryQuery } from '../../store.js';

/**
 * A page of a lane's deliveries. Pending only and not paged: the queue, oldest first, as it
 * will be sent. Otherwise (history, or paging back) newest first.
 */
export function listDeliveries(recipientId: number, query: DeliveryQuery): QueryConfig {
  const values: unknown[] = [recipientId, query.limit];
  const where = ['d.recipient_id = $1'];
  if (query.state !== undefined) where.push(`d.state = $${values.push(query.state)}`);
  if (query.beforeSeq !== undefined) where.push(`d.seq < $${values.push(query.beforeSeq)}`);
  if (query.afterSeq !== undefined) where.push(`d.seq > $${values.push(query.afterSeq)}`);
  const fromHead =
    (query.state === 'pending' && query.beforeSeq === undefined) || query.afterSeq !== undefined;
  return {
    text: `
SELECT d.recipient_id, d.seq, d.event_id, e.uid, e.name, e.lsid, d.state, d.attempts,
  d.accepted_at, d.first_failed_at, d.next_attempt_at, d.last_attempt_at, d.last_status,
  d.last_error, d.delivered_at, d.failed_at
FROM deliveries d JOIN events e ON e.id = d.event_id
WHERE ${where.join(' AND ')}
ORDER BY d.seq ${fromHead ? 'ASC' : 'DESC'}
LIMIT $2`,
    values,
  };
}

export const LIST_ATTEMPTS = `
SELECT recipient_id, seq, n, at, status, error_code, error, latency_ms, snippet
FROM attempts WHERE recipient_id = $1 AND seq = $2 ORDER BY n`;
