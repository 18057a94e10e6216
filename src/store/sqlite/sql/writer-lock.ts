export const GET_WRITER = `
SELECT token, pid, host, acquired_at AS acquiredAt, seen_at AS seenAt FROM writer_lock WHERE id = 1`;

export const PUT_WRITER = `
INSERT INTO writer_lock (id, token, pid, host, acquired_at, seen_at)
VALUES (1, @token, @pid, @host, @now, @now)
ON CONFLICT (id) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
  acquired_at = excluded.acquired_at, seen_at = excluded.seen_at`;

export const RENEW_WRITER = `UPDATE writer_lock SET seen_at = ? WHERE id = 1 AND token = ?`;

export const RELEASE_WRITER = `DELETE FROM writer_lock WHERE id = 1 AND token = ?`;
