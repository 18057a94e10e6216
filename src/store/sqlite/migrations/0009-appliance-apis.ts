/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'appliance-apis';

export const sql = `
-- lseq: the appliance's "incrementing number for sessions", in creation order. Kept in a
-- counter row rather than MAX(lseq) + 1, so that pruning the newest sessions never hands
-- their number out again.
ALTER TABLE sessions ADD COLUMN lseq INTEGER;
UPDATE sessions SET lseq = (
  SELECT COUNT(*) FROM sessions AS s
  WHERE s.created_at < sessions.created_at
     OR (s.created_at = sessions.created_at AND s.lsid <= sessions.lsid)
);
CREATE UNIQUE INDEX sessions_lseq ON sessions (lseq);
CREATE TABLE session_lseq (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last INTEGER NOT NULL
);
INSERT INTO session_lseq (id, last) SELECT 1, COALESCE(MAX(lseq), 0) FROM sessions;
-- The Reporting API's windows: start_* (running sessions included) and end_* (ended only).
CREATE INDEX sessions_created_at ON sessions (created_at);

-- Custom session attributes an administrator defines; values live in each session's state.
CREATE TABLE custom_fields (
  code_name TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- API accounts (OAuth2 client credentials). Only the secret's hash is kept.
CREATE TABLE api_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  reporting INTEGER NOT NULL DEFAULT 0,
  command TEXT NOT NULL DEFAULT 'deny' CHECK (command IN ('full', 'read_only', 'deny')),
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Access tokens issued to API accounts (SHA-256 of the token only); at most 30 live per account.
CREATE TABLE api_account_tokens (
  hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES api_accounts (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX api_account_tokens_account ON api_account_tokens (account_id, created_at);

-- Legacy username/password access to the appliance APIs, granted per administrator.
ALTER TABLE admin_users ADD COLUMN reporting_api INTEGER NOT NULL DEFAULT 0;
ALTER TABLE admin_users ADD COLUMN command_api INTEGER NOT NULL DEFAULT 0;

-- Session keys from the Command API's generate_session_key (SHA-256 of the key only). A key
-- is used once: lsid is set when a session is started with it.
CREATE TABLE session_keys (
  hash TEXT PRIMARY KEY,
  external_key TEXT,
  queue TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  lsid TEXT
);
CREATE INDEX session_keys_expires_at ON session_keys (expires_at);
`;
