/**
 * `fromHead`: the pending queue, oldest first, as it will be sent. Otherwise (history, or
 * paging back with `paged`) newest first.
 */
export function listDeliveries(
  stateFilter: boolean,
  paged: boolean,
  fromHead: boolean,
  after = false,
): string {
  return `
SELECT d.recipient_id, d.seq, d.event_id, e.uid, e.name, e.lsid, d.state, d.attempts,
  d.accepted_at, d.first_failed_at, d.next_attempt_at, d.last_attempt_at, d.last_status,
  d.last_error, d.delivered_at, d.failed_at
FROM deliveries d JOIN events e ON e.id = d.event_id
WHERE d.recipient_id = @recipient_id ${stateFilter ? 'AND d.state = @state' : ''}
  ${paged ? 'AND d.seq < @before' : ''} ${after ? 'AND d.seq > @after' : ''}
ORDER BY d.seq ${fromHead ? 'ASC' : 'DESC'}
LIMIT @limit`;
}

export const LIST_ATTEMPTS = `
SELECT recipient_id, seq, n, at, status, error_code, error, latency_ms, snippet
FROM attempts WHERE recipient_id = ? AND seq = ? ORDER BY n`;
