/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'recipient-alerts';

export const sql = `
-- Error alerts by email, per recipient (the appliance's Email Contact, Send Email Alert After,
-- Resend Email Alerts). alert_contacts: a JSON array of addresses; empty means no alerts.
ALTER TABLE recipients ADD COLUMN alert_contacts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE recipients ADD COLUMN alert_after_ms BIGINT NOT NULL DEFAULT 600000;
ALTER TABLE recipients ADD COLUMN resend_alerts_ms BIGINT NOT NULL DEFAULT 3600000;
`;
