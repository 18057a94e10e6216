/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'recipient-kind';

export const sql = `
-- Email recipients share the lanes of HTTP ones (durable, in order, retried): kind says how a
-- recipient is sent its events; an email recipient's url is mailto:ADDRESS.
ALTER TABLE recipients ADD COLUMN kind TEXT NOT NULL DEFAULT 'http';
`;
