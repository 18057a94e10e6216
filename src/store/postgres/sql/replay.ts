const REQUEUE = `state = 'pending', next_attempt_at = $2, first_failed_at = NULL,
  failed_at = NULL, delivered_at = NULL`;

export const REPLAY_ALL_FAILED = `
UPDATE deliveries SET ${REQUEUE}
WHERE recipient_id = $1 AND state = 'failed'`;

export const REPLAY_FAILED_SEQS = `
UPDATE deliveries SET ${REQUEUE}
WHERE recipient_id = $1 AND seq = ANY ($3::bigint[]) AND state = 'failed'`;

/**
 * Queues every event accepted in [$3, $4] again; $5 the subscribed types, or null for all.
 * Each delivery keeps its seq (the event id), so it goes back to its original place.
 */
export const REPLAY_RANGE = `
INSERT INTO deliveries (recipient_id, seq, event_id, state, accepted_at, next_attempt_at)
SELECT $1, e.id, e.id, 'pending', e.accepted_at, $2
FROM events e
WHERE e.accepted_at BETWEEN $3 AND $4 AND ($5::text[] IS NULL OR e.name = ANY ($5::text[]))
  AND (e.only_recipient_id IS NULL OR e.only_recipient_id = $1)
ON CONFLICT (recipient_id, seq) DO UPDATE SET ${REQUEUE}
WHERE deliveries.state <> 'pending'`;
