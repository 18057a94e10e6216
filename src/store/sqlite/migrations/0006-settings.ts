/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'settings';

export const sql = `
-- Settings changed in the admin interface (Settings → Email): one JSON value per key.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;
