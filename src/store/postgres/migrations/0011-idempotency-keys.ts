/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'idempotency-keys';

export const sql = `
-- The API's Idempotency-Key: the first successful answer to a key, per API token, written in
-- the same transaction as the events it stored; pruned after 24 h by the retention job.
CREATE TABLE idempotency_keys (
  token_id BIGINT NOT NULL,
  idem_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (token_id, idem_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
`;
