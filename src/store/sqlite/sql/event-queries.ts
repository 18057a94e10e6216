export const FIND_EVENT_BY_UID = `
SELECT id, uid, name, lsid, external_key, timestamp, body, accepted_at, custom_fields
FROM events WHERE uid = ?`;

/** ? is a JSON array of event ids: one statement for any page size. */
export const DELIVERY_COUNTS = `
SELECT event_id, state, COUNT(*) AS n FROM deliveries
WHERE event_id IN (SELECT value FROM json_each(?))
GROUP BY event_id, state`;
