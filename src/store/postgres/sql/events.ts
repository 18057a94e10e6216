import { CHANNEL } from './cluster.js';

export const ENABLED_RECIPIENTS = `SELECT id, events FROM recipients WHERE enabled`;

/** Sorted by the caller: the order of a set-returning select is not guaranteed. */
export const NEXT_EVENT_IDS = `SELECT nextval('events_id_seq') AS id FROM generate_series(1, $1)`;

export const INSERT_EVENTS = `
INSERT INTO events (id, uid, name, lsid, external_key, timestamp, body, accepted_at,
  only_recipient_id, custom_fields)
SELECT id, uid, name, lsid, external_key, ts, body, $8, only_recipient_id, custom_fields
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
  $7::text[], $9::bigint[], $10::text[])
  AS e(id, uid, name, lsid, external_key, ts, body, only_recipient_id, custom_fields)`;

/**
 * With the wake-up of the lanes that got work ($4, see cluster-signal.ts): sent on commit, so
 * every node hears of the work once it is visible, and never of work rolled back.
 */
export const INSERT_DELIVERIES = `
WITH inserted AS (
  INSERT INTO deliveries (recipient_id, seq, event_id, state, accepted_at, next_attempt_at)
  SELECT recipient_id, seq, seq, 'pending', $3, $3
  FROM unnest($1::bigint[], $2::bigint[]) AS d(recipient_id, seq))
SELECT pg_notify('${CHANNEL}', $4)`;

export const GET_EVENT = `
SELECT id, uid, name, lsid, external_key, timestamp, body, accepted_at, custom_fields
FROM events WHERE id = $1`;
