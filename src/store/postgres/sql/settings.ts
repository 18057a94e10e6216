export const GET_SETTING = 'SELECT value FROM settings WHERE key = $1';

export const PUT_SETTING = `
INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

export const PUT_SETTING_IF_ABSENT = `
INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`;
