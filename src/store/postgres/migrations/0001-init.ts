/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'init';

export const sql = `
-- BIGSERIAL: a deleted recipient's id is never given to a new one (lanes, metrics).
CREATE TABLE recipients (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  enabled BOOLEAN NOT NULL,
  paused BOOLEAN NOT NULL,
  -- JSON kept as text: read back exactly as written, and parsed once per change.
  events TEXT NOT NULL,
  retry_interval_ms BIGINT NOT NULL,
  retry_max_interval_ms BIGINT NOT NULL,
  retry_duration_ms BIGINT NOT NULL,
  timeout_ms BIGINT NOT NULL,
  tls_verify BOOLEAN NOT NULL,
  ca_pem TEXT,
  headers TEXT NOT NULL,
  secret TEXT,
  previous_secret TEXT,
  previous_secret_expires_at BIGINT,
  secret_rotation_ms BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- A sequence never gives an id twice, even after pruning: a lane's seq must only grow. Ids are
-- taken under the acceptance lock (sql/events.ts), so they also grow in commit order.
CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  lsid TEXT NOT NULL,
  external_key TEXT,
  timestamp BIGINT NOT NULL,
  body TEXT NOT NULL,
  accepted_at BIGINT NOT NULL,
  -- A test event, queued for this recipient only; never replayed to others.
  only_recipient_id BIGINT
);
CREATE INDEX events_accepted_at ON events (accepted_at);
CREATE INDEX events_lsid ON events (lsid);

-- Keyed by recipient first: a lane is one index range and its head is the first row; the
-- same key distributes by recipient (hash partitioning, Citus) without splitting a lane.
-- fillfactor: room on the page for a failure's update to stay HOT.
CREATE TABLE deliveries (
  recipient_id BIGINT NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  event_id BIGINT NOT NULL REFERENCES events (id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  accepted_at BIGINT NOT NULL,
  first_failed_at BIGINT,
  next_attempt_at BIGINT,
  last_attempt_at BIGINT,
  last_status INTEGER,
  last_error TEXT,
  last_latency_ms DOUBLE PRECISION,
  delivered_at BIGINT,
  failed_at BIGINT,
  PRIMARY KEY (recipient_id, seq)
) WITH (fillfactor = 90);
CREATE INDEX deliveries_pending ON deliveries (recipient_id, seq) WHERE state = 'pending';
CREATE INDEX deliveries_failed ON deliveries (recipient_id, seq) WHERE state = 'failed';
CREATE INDEX deliveries_event ON deliveries (event_id);

-- Failed attempts only: a success is recorded on its delivery row, which keeps the ack cheap.
CREATE TABLE attempts (
  recipient_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  n INTEGER NOT NULL,
  at BIGINT NOT NULL,
  status INTEGER,
  error_code TEXT,
  error TEXT,
  latency_ms DOUBLE PRECISION NOT NULL,
  snippet TEXT,
  PRIMARY KEY (recipient_id, seq, n),
  FOREIGN KEY (recipient_id, seq) REFERENCES deliveries (recipient_id, seq) ON DELETE CASCADE
);

CREATE TABLE api_tokens (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
`;
