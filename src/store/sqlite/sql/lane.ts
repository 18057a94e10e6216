export const PENDING_DELIVERIES = `
SELECT d.recipient_id, d.seq, d.event_id, e.uid, e.name, e.body, e.custom_fields, d.accepted_at,
  d.attempts, d.first_failed_at, d.next_attempt_at
FROM deliveries d INDEXED BY deliveries_pending
JOIN events e ON e.id = d.event_id
WHERE d.recipient_id = ? AND d.state = 'pending' AND d.seq > ?
ORDER BY d.seq
LIMIT ?`;

/**
 * Also from failed: a head set aside while its request was in flight did arrive. Only while the
 * delivery has at most the attempts it had when the request was sent (the last parameter): a
 * 200 applied again, or after the delivery was re-queued and tried anew, changes nothing.
 */
export const MARK_DELIVERED = `
UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_attempt_at = ?,
  last_status = ?, last_error = NULL, last_latency_ms = ?, delivered_at = ?,
  next_attempt_at = NULL, failed_at = NULL
WHERE recipient_id = ? AND seq = ? AND state != 'delivered' AND attempts <= ?`;

export const RECORD_FAILURE = `
UPDATE deliveries SET attempts = attempts + 1, first_failed_at = coalesce(first_failed_at, ?),
  last_attempt_at = ?, last_status = ?, last_error = ?, last_latency_ms = ?,
  next_attempt_at = ?
WHERE recipient_id = ? AND seq = ? AND state = 'pending'
RETURNING attempts`;

export const INSERT_ATTEMPT = `
INSERT INTO attempts (recipient_id, seq, n, at, status, error_code, error, latency_ms, snippet)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const SET_ASIDE = `
UPDATE deliveries SET state = 'failed', failed_at = ?, next_attempt_at = NULL
WHERE recipient_id = ? AND seq = ? AND state = 'pending'`;

export const HEAD_SEQ = `
SELECT seq FROM deliveries INDEXED BY deliveries_pending
WHERE recipient_id = ? AND state = 'pending' ORDER BY seq LIMIT 1`;

export const RETRY_NOW = `
UPDATE deliveries SET next_attempt_at = ? WHERE recipient_id = ? AND seq = ? AND state = 'pending'`;

export const LANE_STATS = `
SELECT r.id AS recipient_id,
  (SELECT count(*) FROM deliveries INDEXED BY deliveries_pending
    WHERE recipient_id = r.id AND state = 'pending') AS pending,
  (SELECT accepted_at FROM deliveries INDEXED BY deliveries_pending
    WHERE recipient_id = r.id AND state = 'pending' ORDER BY seq LIMIT 1) AS oldest,
  (SELECT count(*) FROM deliveries INDEXED BY deliveries_failed
    WHERE recipient_id = r.id AND state = 'failed') AS failed
FROM recipients r ORDER BY r.id`;
