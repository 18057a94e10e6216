import { fenced } from './lane.js';

/** One ack, the usual case of a lone lane. Also from failed: a head set aside while its
 * request was in flight did arrive. */
export const MARK_DELIVERED = `
UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_attempt_at = $3,
  last_status = $4, last_error = NULL, last_latency_ms = $5, delivered_at = $3,
  next_attempt_at = NULL, failed_at = NULL
WHERE recipient_id = $1 AND seq = $2 AND state <> 'delivered'`;

export const MARK_DELIVERED_FENCED = fenced(MARK_DELIVERED, 6);

/**
 * Many lanes' acks in one statement, each with the changes one ack makes: also from failed (a
 * head set aside while its request was in flight did arrive). One row per ack: $1 recipient,
 * $2 seq, $3 at, $4 status, $5 latency, and $6 owner, $7 token of its fence (null when
 * unfenced); at most one ack per lane, so that no two meet on one row.
 *
 * Unlike SQLite's ack log, which is folded later and so applies a 200 only at the attempt count
 * it was sent at, this is the lane's own synchronous write: a 200 that arrived is recorded
 * whatever else wrote to the row meanwhile, so the lane never moves on past a head that the
 * database still holds pending.
 *
 * Returns the positions (from 1) of the fenced acks refused: they changed nothing and their
 * lane is not held with that owner and token. A fenced ack that changed nothing while the lane
 * is held (its delivery had moved on) is no error. Both checks read the statement's snapshot,
 * so telling the two apart takes no second round trip, and the usual answer is no rows.
 */
export const MARK_DELIVERED_BATCH = `
WITH a AS (
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::float8[],
    $6::bigint[], $7::bigint[]) WITH ORDINALITY
    AS a(recipient_id, seq, at, status, latency_ms, owner, token, i)),
done AS (
  UPDATE deliveries d SET state = 'delivered', attempts = d.attempts + 1, last_attempt_at = a.at,
    last_status = a.status, last_error = NULL, last_latency_ms = a.latency_ms,
    delivered_at = a.at, next_attempt_at = NULL, failed_at = NULL
  FROM a
  WHERE d.recipient_id = a.recipient_id AND d.seq = a.seq AND d.state <> 'delivered'
    AND (a.token IS NULL OR EXISTS (SELECT 1 FROM lanes l
      WHERE l.recipient_id = a.recipient_id AND l.owner = a.owner AND l.token = a.token))
  RETURNING a.i)
SELECT a.i FROM a
WHERE a.token IS NOT NULL AND a.i NOT IN (SELECT i FROM done)
  AND NOT EXISTS (SELECT 1 FROM lanes l
    WHERE l.recipient_id = a.recipient_id AND l.owner = a.owner AND l.token = a.token)`;
