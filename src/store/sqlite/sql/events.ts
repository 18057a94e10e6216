export const INSERT_EVENT = `
INSERT INTO events (uid, name, lsid, external_key, timestamp, body, accepted_at, only_recipient_id,
  custom_fields)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** seq is the event's id: ids grow in commit order because SQLite has one writer. */
export const INSERT_DELIVERY = `
INSERT INTO deliveries (recipient_id, seq, event_id, state, accepted_at, next_attempt_at)
VALUES (?, ?, ?, 'pending', ?, ?)`;

export const ENABLED_RECIPIENTS = `SELECT id, events FROM recipients WHERE enabled = 1`;

export const GET_EVENT = `
SELECT id, uid, name, lsid, external_key, timestamp, body, accepted_at, custom_fields
FROM events WHERE id = ?`;
