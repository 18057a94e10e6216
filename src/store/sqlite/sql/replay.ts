const REQUEUE = `state = 'pending', next_attempt_at = @now, first_failed_at = NULL,
  failed_at = NULL, delivered_at = NULL`;

export const REPLAY_ALL_FAILED = `
UPDATE deliveries SET ${REQUEUE}
WHERE recipient_id = @recipient_id AND state = 'failed'`;

export const REPLAY_FAILED_SEQ = `
UPDATE deliveries SET ${REQUEUE}
WHERE recipient_id = @recipient_id AND seq = @seq AND state = 'failed'`;

/** Queues every event of the range again; `nameFilter` restricts to the subscribed types. */
export function replayRange(nameFilter: string): string {
  return `
INSERT INTO deliveries (recipient_id, seq, event_id, state, accepted_at, next_attempt_at)
SELECT @recipient_id, e.id, e.id, 'pending', e.accepted_at, @now
FROM events e
WHERE e.accepted_at BETWEEN @from AND @to ${nameFilter}
  AND (e.only_recipient_id IS NULL OR e.only_recipient_id = @recipient_id)
ON CONFLICT (recipient_id, seq) DO UPDATE SET ${REQUEUE}
WHERE deliveries.state != 'pending'`;
}
