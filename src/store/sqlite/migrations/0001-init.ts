/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'init';

export const sql = `
-- AUTOINCREMENT: a deleted recipient's id is never given to a new one (lanes, metrics).
CREATE TABLE recipients (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  url TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  paused INTEGER NOT NULL,
  events TEXT NOT NULL,
  retry_interval_ms INTEGER NOT NULL,
  retry_max_interval_ms INTEGER NOT NULL,
  retry_duration_ms INTEGER NOT NULL,
  timeout_ms INTEGER NOT NULL,
  tls_verify INTEGER NOT NULL,
  ca_pem TEXT,
  headers TEXT NOT NULL,
  secret TEXT,
  previous_secret TEXT,
  previous_secret_expires_at INTEGER,
  secret_rotation_ms INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- AUTOINCREMENT: ids are never reused after pruning, because a lane's seq must only grow.
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  lsid TEXT NOT NULL,
  external_key TEXT,
  timestamp INTEGER NOT NULL,
  body TEXT NOT NULL,
  accepted_at INTEGER NOT NULL,
  -- A test event, queued for this recipient only; never replayed to others.
  only_recipient_id INTEGER
);
CREATE INDEX events_accepted_at ON events (accepted_at);
CREATE INDEX events_lsid ON events (lsid);

-- Keyed by recipient first: a lane is one index range and its head is the first row.
CREATE TABLE deliveries (
  recipient_id INTEGER NOT NULL REFERENCES recipients (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  event_id INTEGER NOT NULL REFERENCES events (id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  accepted_at INTEGER NOT NULL,
  first_failed_at INTEGER,
  next_attempt_at INTEGER,
  last_attempt_at INTEGER,
  last_status INTEGER,
  last_error TEXT,
  last_latency_ms REAL,
  delivered_at INTEGER,
  failed_at INTEGER,
  PRIMARY KEY (recipient_id, seq)
) WITHOUT ROWID;
CREATE INDEX deliveries_pending ON deliveries (recipient_id, seq) WHERE state = 'pending';
CREATE INDEX deliveries_failed ON deliveries (recipient_id, seq) WHERE state = 'failed';
CREATE INDEX deliveries_event ON deliveries (event_id);

-- Failed attempts only: a success is recorded on its delivery row, which keeps the ack cheap.
CREATE TABLE attempts (
  recipient_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  n INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status INTEGER,
  error_code TEXT,
  error TEXT,
  latency_ms REAL NOT NULL,
  snippet TEXT,
  PRIMARY KEY (recipient_id, seq, n),
  FOREIGN KEY (recipient_id, seq) REFERENCES deliveries (recipient_id, seq) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
`;
