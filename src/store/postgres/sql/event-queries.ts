export const FIND_EVENT_BY_UID = `
SELECT id, uid, name, lsid, external_key, timestamp, body, accepted_at, custom_fields
FROM events WHERE uid = $1`;

export const DELIVERY_COUNTS = `
SELECT event_id, state, COUNT(*) AS n FROM deliveries
WHERE event_id = ANY($1::bigint[])
GROUP BY event_id, state`;
