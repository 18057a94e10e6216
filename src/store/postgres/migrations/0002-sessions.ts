/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'sessions';

export const sql = `
-- The sessions API's sessions: the rules' state as JSON, changed only together with the
-- events the change emits, in one transaction. version counts the stored changes.
CREATE TABLE sessions (
  lsid TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  ended_at BIGINT
);
-- For pruning ended sessions later; live sessions are not in it.
CREATE INDEX sessions_ended_at ON sessions (ended_at) WHERE ended_at IS NOT NULL;
`;
