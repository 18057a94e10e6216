import { RECIPIENT_COLUMNS as COLUMNS, RECIPIENT_INSERT_COLUMNS } from '../../recipient-rows.js';

export const INSERT_RECIPIENT = `
INSERT INTO recipients (${RECIPIENT_INSERT_COLUMNS})
VALUES (@name, @url, @enabled, @paused, @events, @retry_interval_ms, @retry_max_interval_ms,
  @retry_duration_ms, @timeout_ms, @tls_verify, @ca_pem, @headers, @secret, @previous_secret,
  @previous_secret_expires_at, @secret_rotation_ms, @alert_contacts, @alert_after_ms,
  @resend_alerts_ms, @kind, @rep_survey_event_name, @send_appliance_id, @send_custom_fields,
  @created_at, @updated_at)
RETURNING ${COLUMNS}`;

export const UPDATE_RECIPIENT = `
UPDATE recipients SET name = @name, url = @url, enabled = @enabled, paused = @paused,
  events = @events, retry_interval_ms = @retry_interval_ms,
  retry_max_interval_ms = @retry_max_interval_ms, retry_duration_ms = @retry_duration_ms,
  timeout_ms = @timeout_ms, tls_verify = @tls_verify, ca_pem = @ca_pem, headers = @headers,
  secret = @secret, previous_secret = @previous_secret,
  previous_secret_expires_at = @previous_secret_expires_at,
  secret_rotation_ms = @secret_rotation_ms, alert_contacts = @alert_contacts,
  alert_after_ms = @alert_after_ms, resend_alerts_ms = @resend_alerts_ms, kind = @kind,
  rep_survey_event_name = @rep_survey_event_name, send_appliance_id = @send_appliance_id,
  send_custom_fields = @send_custom_fields, updated_at = @updated_at
WHERE id = @id
RETURNING ${COLUMNS}`;

export const DELETE_RECIPIENT = `DELETE FROM recipients WHERE id = ?`;
export const GET_RECIPIENT = `SELECT ${COLUMNS} FROM recipients WHERE id = ?`;
export const FIND_RECIPIENT_BY_NAME = `SELECT ${COLUMNS} FROM recipients WHERE name = ?`;
export const LIST_RECIPIENTS = `SELECT ${COLUMNS} FROM recipients ORDER BY id`;
