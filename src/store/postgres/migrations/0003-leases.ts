/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'leases';

export const sql = `
-- The delivery nodes sharing this database. A node is live while expires_at (database clock,
-- ms) is ahead; it extends it on every heartbeat. A node that misses its heartbeats is dead
-- for good: it registers again under a new id, so an id never comes back to life.
CREATE TABLE nodes (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

-- Which node drives each recipient's lane. token grows each time the lane changes hands: a
-- lane write carries the token its node was given, and a write with an older token is
-- refused (the fencing token), so a node that lost a lane cannot change it any more.
CREATE TABLE lanes (
  recipient_id BIGINT PRIMARY KEY REFERENCES recipients (id) ON DELETE CASCADE,
  owner BIGINT,
  token BIGINT NOT NULL
);
CREATE INDEX lanes_owner ON lanes (owner);
`;
