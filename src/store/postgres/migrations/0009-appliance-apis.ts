/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'appliance-apis';

export const sql = `
-- lseq: the appliance's "incrementing number for sessions", in creation order. A sequence,
-- so that pruning the newest sessions never hands their number out again.
ALTER TABLE sessions ADD COLUMN lseq BIGINT;
UPDATE sessions SET lseq = numbered.n FROM (
  SELECT lsid, row_number() OVER (ORDER BY created_at, lsid) AS n FROM sessions
) AS numbered WHERE sessions.lsid = numbered.lsid;
CREATE SEQUENCE session_lseq OWNED BY sessions.lseq;
SELECT setval('session_lseq', COALESCE((SELECT MAX(lseq) FROM sessions), 0) + 1, false);
ALTER TABLE sessions ALTER COLUMN lseq SET DEFAULT nextval('session_lseq');
ALTER TABLE sessions ALTER COLUMN lseq SET NOT NULL;
CREATE UNIQUE INDEX sessions_lseq ON sessions (lseq);
-- The Reporting API's windows: start_* (running sessions included) and end_* (ended only).
CREATE INDEX sessions_created_at ON sessions (created_at);

-- Custom session attributes an administrator defines; values live in each session's state.
CREATE TABLE custom_fields (
  code_name TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- API accounts (OAuth2 client credentials). Only the secret's hash is kept.
CREATE TABLE api_accounts (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  reporting BOOLEAN NOT NULL DEFAULT FALSE,
  command TEXT NOT NULL DEFAULT 'deny' CHECK (command IN ('full', 'read_only', 'deny')),
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Access tokens issued to API accounts (SHA-256 of the token only); at most 30 live per account.
CREATE TABLE api_account_tokens (
  hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES api_accounts (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX api_account_tokens_account ON api_account_tokens (account_id, created_at);

-- Legacy username/password access to the appliance APIs, granted per administrator.
ALTER TABLE admin_users ADD COLUMN reporting_api BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE admin_users ADD COLUMN command_api BOOLEAN NOT NULL DEFAULT FALSE;

-- Session keys from the Command API's generate_session_key (SHA-256 of the key only). A key
-- is used once: lsid is set when a session is started with it.
CREATE TABLE session_keys (
  hash TEXT PRIMARY KEY,
  external_key TEXT,
  queue TEXT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  lsid TEXT
);
CREATE INDEX session_keys_expires_at ON session_keys (expires_at);
`;
