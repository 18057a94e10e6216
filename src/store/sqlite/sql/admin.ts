const USER_COLUMNS =
  'id, name, password_hash, created_at, last_sign_in_at, failed_sign_ins, locked_until';

export const COUNT_USERS = 'SELECT count(*) AS n FROM admin_users';

export const INSERT_USER = `
INSERT INTO admin_users (name, password_hash, created_at) VALUES (?, ?, ?)
ON CONFLICT (name) DO NOTHING
RETURNING ${USER_COLUMNS}`;

export const FIND_USER = `SELECT ${USER_COLUMNS} FROM admin_users WHERE name = ?`;

export const LIST_USERS = `SELECT ${USER_COLUMNS} FROM admin_users ORDER BY name`;

export const DELETE_USER = 'DELETE FROM admin_users WHERE name = ?';

export const SIGN_IN_FAILED = `
UPDATE admin_users SET
  failed_sign_ins = failed_sign_ins + 1,
  locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @now + @lock ELSE locked_until END
WHERE id = @id
RETURNING failed_sign_ins, locked_until`;

export const SIGN_IN_SUCCEEDED = `
UPDATE admin_users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = ?
WHERE id = ?`;

export const INSERT_SESSION = `
INSERT INTO admin_sessions (hash, user_id, csrf_token, created_at, expires_at)
VALUES (?, ?, ?, ?, ?)`;

export const FIND_SESSION = `
SELECT s.hash, s.user_id, s.csrf_token, s.created_at, s.expires_at, u.name AS user_name
FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id
WHERE s.hash = ? AND s.expires_at > ?`;

export const DELETE_SESSION = 'DELETE FROM admin_sessions WHERE hash = ?';

export const DELETE_EXPIRED_SESSIONS = 'DELETE FROM admin_sessions WHERE expires_at <= ?';

export const INSERT_SETUP_TOKEN = 'INSERT INTO admin_setup_tokens (hash, created_at) VALUES (?, ?)';

export const FIND_SETUP_TOKEN = 'SELECT 1 AS found FROM admin_setup_tokens WHERE hash = ?';

export const DELETE_SETUP_TOKENS = 'DELETE FROM admin_setup_tokens';

export const INSERT_AUDIT = `
INSERT INTO audit_log (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)
RETURNING id`;

const AUDIT_COLUMNS = 'id, at, actor, action, target, before, after';

export const LIST_AUDIT = `
SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`;
