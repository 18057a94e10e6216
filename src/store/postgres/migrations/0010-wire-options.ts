/** Released: never edit. Later changes go in a new numbered file. */
export const name = 'wire-options';

export const sql = `
-- Per-recipient wire options for receivers written for deployed appliances. The defaults keep
-- the guide's byte-exact body: the guide's survey name, no appliance_id, no custom fields.
ALTER TABLE recipients ADD COLUMN rep_survey_event_name TEXT NOT NULL DEFAULT 'guide'
  CHECK (rep_survey_event_name IN ('guide', 'rep'));
ALTER TABLE recipients ADD COLUMN send_appliance_id BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE recipients ADD COLUMN send_custom_fields BOOLEAN NOT NULL DEFAULT FALSE;

-- The session's custom attributes when the event was emitted (JSON object, code name → value;
-- NULL when there were none): sent only to recipients that ask for them, decided at send time.
ALTER TABLE events ADD COLUMN custom_fields TEXT;
`;
