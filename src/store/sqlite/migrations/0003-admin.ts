/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'admin';

export const sql = `
-- Administrators of the web interface. failed_sign_ins and locked_until: the lock-out after
-- repeated wrong passwords outlives a restart.
CREATE TABLE admin_users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_sign_in_at INTEGER,
  failed_sign_ins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER
);

-- Web sessions: only the SHA-256 of the cookie's token is kept.
CREATE TABLE admin_sessions (
  hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX admin_sessions_user ON admin_sessions (user_id);
CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at);

-- One-time links that create the first administrator (hashes only).
CREATE TABLE admin_setup_tokens (
  hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);

-- Every change made in the interface. actor is a name, not a key: the log outlives users.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT,
  after TEXT
);

-- The Events page searches by external key (lsid and acceptance time have their indexes).
CREATE INDEX events_external_key ON events (external_key) WHERE external_key IS NOT NULL;
`;
