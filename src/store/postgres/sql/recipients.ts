import { RECIPIENT_COLUMNS as COLUMNS, RECIPIENT_INSERT_COLUMNS } from '../../recipient-rows.js';

/** The values of `recipientValues` (recipient-values.ts) are $1 to $23. */
export const INSERT_RECIPIENT = `
INSERT INTO recipients (${RECIPIENT_INSERT_COLUMNS})
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
  $20, $21, $22, $23, $24, $24)
RETURNING ${COLUMNS}`;

export const UPDATE_RECIPIENT = `
UPDATE recipients SET name = $1, url = $2, enabled = $3, paused = $4, events = $5,
  retry_interval_ms = $6, retry_max_interval_ms = $7, retry_duration_ms = $8, timeout_ms = $9,
  tls_verify = $10, ca_pem = $11, headers = $12, secret = $13, previous_secret = $14,
  previous_secret_expires_at = $15, secret_rotation_ms = $16, alert_contacts = $17,
  alert_after_ms = $18, resend_alerts_ms = $19, kind = $20, rep_survey_event_name = $21,
  send_appliance_id = $22, send_custom_fields = $23, updated_at = $24
WHERE id = $25
RETURNING ${COLUMNS}`;

export const DELETE_RECIPIENT = `DELETE FROM recipients WHERE id = $1`;
export const GET_RECIPIENT = `SELECT ${COLUMNS} FROM recipients WHERE id = $1`;
/** Read before an update: concurrent updates of one recipient apply one after the other. */
export const GET_RECIPIENT_FOR_UPDATE = `${GET_RECIPIENT} FOR UPDATE`;
export const FIND_RECIPIENT_BY_NAME = `SELECT ${COLUMNS} FROM recipients WHERE name = $1`;
export const LIST_RECIPIENTS = `SELECT ${COLUMNS} FROM recipients ORDER BY id`;
