/** The newest event accepted before the cutoff: deliveries up to its id are old enough. */
export const CUTOFF_SEQ = `SELECT max(id) AS seq FROM events WHERE accepted_at < $1`;

export const RECIPIENT_IDS = `SELECT id FROM recipients ORDER BY id`;

/** $1 cutoff, $2 limit; through sessions_ended_at: live sessions are not in that index. */
export const DELETE_ENDED_SESSIONS = `
DELETE FROM sessions WHERE lsid IN (
  SELECT lsid FROM sessions WHERE ended_at IS NOT NULL AND ended_at < $1
  ORDER BY ended_at LIMIT $2)`;

/**
 * Deletes a small batch of one recipient's old delivered rows, oldest first, with their
 * attempts. Only rows before the head can be delivered (apart from replays), so the scan
 * stops there instead of walking a long backlog. $1 recipient, $2 cutoff seq, $3 limit.
 */
export const DELETE_OLD_DELIVERED = `
WITH old AS (
  SELECT recipient_id, seq FROM deliveries
  WHERE recipient_id = $1 AND state = 'delivered'
    AND seq <= least($2, coalesce((SELECT seq FROM deliveries
      WHERE recipient_id = $1 AND state = 'pending' ORDER BY seq LIMIT 1), $2))
  ORDER BY seq
  LIMIT $3),
gone_attempts AS (
  DELETE FROM attempts a USING old
  WHERE a.recipient_id = old.recipient_id AND a.seq = old.seq
  RETURNING 1),
gone AS (
  DELETE FROM deliveries d USING old
  WHERE d.recipient_id = old.recipient_id AND d.seq = old.seq
  RETURNING 1)
SELECT (SELECT count(*) FROM gone) AS deliveries, (SELECT count(*) FROM gone_attempts) AS attempts`;

/** Deletes old events no recipient still holds (pending or failed ones keep theirs). */
export const DELETE_ORPHAN_EVENTS = `
DELETE FROM events WHERE id IN (
  SELECT e.id FROM events e
  WHERE e.id <= $1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
  ORDER BY e.id
  LIMIT $2)`;
