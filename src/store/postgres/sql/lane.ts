export const PENDING_DELIVERIES = `
SELECT d.recipient_id, d.seq, d.event_id, e.uid, e.name, e.body, e.custom_fields, d.accepted_at,
  d.attempts, d.first_failed_at, d.next_attempt_at
FROM deliveries d
JOIN events e ON e.id = d.event_id
WHERE d.recipient_id = $1 AND d.state = 'pending' AND d.seq > $2
ORDER BY d.seq
LIMIT $3`;

/** $1 recipient, $2 seq, $3 at, $4 status, $5 error code, $6 error, $7 latency, $8 snippet. */
const FAILED_ATTEMPT = `attempts = attempts + 1, first_failed_at = coalesce(first_failed_at, $3),
  last_attempt_at = $3, last_status = $4, last_error = $6, last_latency_ms = $7`;

const INSERT_ATTEMPT = `
INSERT INTO attempts (recipient_id, seq, n, at, status, error_code, error, latency_ms, snippet)
SELECT recipient_id, seq, attempts, $3, $4, $5, $6, $7, $8 FROM d`;

/** The failure and its attempt row in one statement; $9 the next attempt. */
export const RECORD_FAILURE = `
WITH d AS (
  UPDATE deliveries SET ${FAILED_ATTEMPT}, next_attempt_at = $9
  WHERE recipient_id = $1 AND seq = $2 AND state = 'pending'
  RETURNING recipient_id, seq, attempts)
${INSERT_ATTEMPT}`;

/** RECORD_FAILURE and SET_ASIDE at once; $9 the time set aside. Counts 1 when set aside. */
export const SET_ASIDE_AFTER_FAILURE = `
WITH d AS (
  UPDATE deliveries SET ${FAILED_ATTEMPT}, state = 'failed', failed_at = $9,
    next_attempt_at = NULL
  WHERE recipient_id = $1 AND seq = $2 AND state = 'pending'
  RETURNING recipient_id, seq, attempts)
${INSERT_ATTEMPT}`;

export const SET_ASIDE = `
UPDATE deliveries SET state = 'failed', failed_at = $3, next_attempt_at = NULL
WHERE recipient_id = $1 AND seq = $2 AND state = 'pending'`;

export const RETRY_NOW = `
UPDATE deliveries SET next_attempt_at = $2
WHERE recipient_id = $1 AND state = 'pending' AND seq = (
  SELECT seq FROM deliveries WHERE recipient_id = $1 AND state = 'pending' ORDER BY seq LIMIT 1)`;

export const LANE_STATS = `
SELECT r.id AS recipient_id,
  (SELECT count(*) FROM deliveries WHERE recipient_id = r.id AND state = 'pending') AS pending,
  (SELECT accepted_at FROM deliveries
    WHERE recipient_id = r.id AND state = 'pending' ORDER BY seq LIMIT 1) AS oldest,
  (SELECT count(*) FROM deliveries WHERE recipient_id = r.id AND state = 'failed') AS failed
FROM recipients r ORDER BY r.id`;

/**
 * The same write, made only while the lane is still held with the writer's fencing token: the
 * token's parameters are numbered after the statement's own (`first` and `first + 1`).
 */
export function fenced(statement: string, first: number): string {
  const where = 'WHERE recipient_id = $1 AND seq = $2';
  if (!statement.includes(where)) throw new Error(`cannot fence: ${statement}`);
  return statement.replace(
    where,
    `${where} AND EXISTS (SELECT 1 FROM lanes
      WHERE recipient_id = $1 AND owner = $${first} AND token = $${first + 1})`,
  );
}

export const RECORD_FAILURE_FENCED = fenced(RECORD_FAILURE, 10);
export const SET_ASIDE_AFTER_FAILURE_FENCED = fenced(SET_ASIDE_AFTER_FAILURE, 10);
export const SET_ASIDE_FENCED = fenced(SET_ASIDE, 4);

/** $1 recipient, $2 node, $3 token: one row while the lane is still held so. */
export const LANE_HELD = `SELECT 1 FROM lanes WHERE recipient_id = $1 AND owner = $2 AND token = $3`;
