/** The database's clock in milliseconds: liveness is judged by one clock only. */
const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

/** A node dead for this long is forgotten (its row only helps reading logs). */
const FORGET_AFTER_MS = 86_400_000;

export const CHANNEL = 'outbound_lanes';

/** $1 name, $2 lease ms. */
export const REGISTER_NODE = `
INSERT INTO nodes (name, started_at, expires_at) VALUES ($1, ${NOW_MS}, ${NOW_MS} + $2)
RETURNING id`;

export const FORGET_DEAD_NODES = `DELETE FROM nodes WHERE expires_at < ${NOW_MS} - ${FORGET_AFTER_MS}`;

/** $1 node, $2 lease ms: a row only while the node was still live. */
export const RENEW_NODE = `
UPDATE nodes SET expires_at = ${NOW_MS} + $2 WHERE id = $1 AND expires_at > ${NOW_MS}
RETURNING id`;

export const LIVE_NODES = `SELECT id FROM nodes WHERE expires_at > ${NOW_MS} ORDER BY id`;

/**
 * $1 node, $2 recipient ids. Takes each lane whose owner is nobody or a node no longer live,
 * giving it the next token, and only while $1 is live itself. A lane seen for the first time
 * gets its row here. Recipients deleted meanwhile are skipped (no row to reference).
 */
export const CLAIM_LANES = `
INSERT INTO lanes (recipient_id, owner, token)
SELECT r.id, $1, 1 FROM recipients r
WHERE r.id = ANY($2::bigint[])
  AND EXISTS (SELECT 1 FROM nodes WHERE id = $1 AND expires_at > ${NOW_MS})
ON CONFLICT (recipient_id) DO UPDATE SET owner = EXCLUDED.owner, token = lanes.token + 1
WHERE lanes.owner IS NULL OR (lanes.owner <> EXCLUDED.owner AND NOT EXISTS (
  SELECT 1 FROM nodes WHERE id = lanes.owner AND expires_at > ${NOW_MS}))`;

/** $1 node: its lanes, none once it is no longer live. */
export const HELD_LANES = `
SELECT recipient_id, token FROM lanes
WHERE owner = $1 AND EXISTS (SELECT 1 FROM nodes WHERE id = $1 AND expires_at > ${NOW_MS})`;

/** $1 node, $2 recipient ids, $3 their tokens. */
export const RELEASE_LANES = `
UPDATE lanes SET owner = NULL
FROM unnest($2::bigint[], $3::bigint[]) AS g(recipient_id, token)
WHERE lanes.recipient_id = g.recipient_id AND lanes.token = g.token AND lanes.owner = $1`;

/** $1 node. */
export const RELEASE_ALL = `UPDATE lanes SET owner = NULL WHERE owner = $1`;
export const DELETE_NODE = `DELETE FROM nodes WHERE id = $1`;

export const NOTIFY = `SELECT pg_notify('${CHANNEL}', $1)`;
