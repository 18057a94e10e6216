/** The newest event accepted before the cutoff: deliveries up to its id are old enough. */
export const CUTOFF_SEQ = `SELECT max(id) AS seq FROM events WHERE accepted_at < ?`;

/**
 * A small batch of old delivered rows of one recipient. Only rows before the head can be
 * delivered (apart from replays), so the scan stops there instead of walking a long backlog.
 */
export const OLD_DELIVERED = `
SELECT recipient_id, seq FROM deliveries
WHERE recipient_id = @recipient_id AND state = 'delivered'
  AND seq <= min(@cutoff, coalesce((SELECT seq FROM deliveries INDEXED BY deliveries_pending
    WHERE recipient_id = @recipient_id AND state = 'pending' ORDER BY seq LIMIT 1), @cutoff))
LIMIT @limit`;

export const DELETE_ATTEMPTS = `DELETE FROM attempts WHERE recipient_id = ? AND seq = ?`;
export const DELETE_DELIVERY = `DELETE FROM deliveries WHERE recipient_id = ? AND seq = ?`;

export const RECIPIENT_IDS = `SELECT id FROM recipients ORDER BY id`;

/** Old events no recipient still holds (pending or failed ones keep theirs). */
export const ORPHAN_EVENTS = `
SELECT e.id FROM events e
WHERE e.id <= ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
ORDER BY e.id
LIMIT ?`;

export const DELETE_EVENT = `DELETE FROM events WHERE id = ?`;

/** Through sessions_ended_at: live sessions are not in that index. */
export const DELETE_ENDED_SESSIONS = `
DELETE FROM sessions WHERE lsid IN (
  SELECT lsid FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ? ORDER BY ended_at LIMIT ?)`;
