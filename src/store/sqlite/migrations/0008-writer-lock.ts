/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'writer-lock';

export const sql = `
-- The one serve process that delivers from this file, renewed every few seconds.
CREATE TABLE writer_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  acquired_at INTEGER NOT NULL,
  seen_at INTEGER NOT NULL
);
`;
