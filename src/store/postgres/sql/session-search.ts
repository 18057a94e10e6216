import type { QueryConfig } from 'pg';
import type { SessionSearch } from '../../session-search.js';

/**
 * The state as JSON. PostgreSQL refuses to read a document holding the escape \u0000 (a NUL
 * a chat message may carry) or a surrogate escape (JSON.stringify writes a lone surrogate as
 * \ud800; a pair it writes as the character itself): each is read as \ufffd instead. The
 * same length and shape, so that even a literal backslash before "u0000" leaves the document
 * valid. Only names and the key are read from it, never the text replaced.
 */
const STATE = String.raw`regexp_replace(sessions.state, '\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})', '\\ufffd', 'g')::json`;

/**
 * Whether one of the session's members of `type` has one of `fields` containing `$n`: the
 * members are read from the JSON state in SQL.
 */
const memberMatches = (type: string, n: string, fields: string[]) => `EXISTS (
  SELECT 1 FROM json_array_elements(${STATE} -> 'members') AS m
  WHERE m -> 'member' ->> 'type' = '${type}'
    AND (${fields
      .map((f) => `strpos(lower(coalesce(m -> 'member' ->> '${f}', '')), lower(${n})) > 0`)
      .join(' OR ')}))`;

/**
 * The search as one statement; only given criteria filter. The start-time range uses the
 * sessions_created_at index, the pages the sessions_lseq index (keyset: lseq below the last
 * one shown); the external key and the names are read from the JSON state.
 */
export function searchSessions(search: SessionSearch): QueryConfig {
  const values: unknown[] = [search.limit];
  const where: string[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    if (value !== undefined) where.push(clause(`$${values.push(value)}`));
  };
  const key = `(${STATE} ->> 'externalKey')`;
  add((n) => `created_at >= ${n}`, search.from);
  add((n) => `created_at <= ${n}`, search.to);
  add((n) => `lseq < ${n}`, search.beforeLseq);
  add(
    (n) => (search.externalKeyPrefix ? `left(${key}, char_length(${n})) = ${n}` : `${key} = ${n}`),
    search.externalKey,
  );
  add(
    (n) => memberMatches('representative', n, ['display_name', 'username']),
    search.representative,
  );
  add((n) => memberMatches('customer', n, ['display_name']), search.customer);
  return {
    text: `
SELECT lsid, lseq, created_at, ended_at, ${STATE} ->> 'ended' AS ended,
  ${key} AS external_key, (${STATE} -> 'owner')::text AS owner,
  (${STATE} -> 'members')::text AS members
FROM sessions
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY lseq DESC LIMIT $1`,
    values,
  };
}
