import type { SessionSearch } from '../../session-search.js';

/**
 * Whether one of the session's members of `type` has `field` (or `other`) containing the
 * parameter: the members are read from the JSON state in SQL (json_each), so a page of
 * results costs one statement and no more memory than its rows.
 */
const memberMatches = (type: string, param: string, fields: string[]) => `EXISTS (
  SELECT 1 FROM json_each(sessions.state, '$.members') AS m
  WHERE json_extract(m.value, '$.member.type') = '${type}'
    AND (${fields
      .map(
        (f) =>
          `instr(lower(coalesce(json_extract(m.value, '$.member.${f}'), '')), lower(@${param})) > 0`,
      )
      .join(' OR ')}))`;

/**
 * The search as one statement with named parameters. The start-time range uses the
 * sessions_created_at index, the pages the sessions_lseq index (keyset: lseq below the last
 * one shown); the external key and the names are read from the JSON state.
 */
export function searchSessions(search: SessionSearch): {
  text: string;
  params: Record<string, unknown>;
} {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: search.limit };
  const add = (clause: string, name: string, value: unknown) => {
    if (value === undefined) return;
    where.push(clause);
    params[name] = value;
  };
  add('created_at >= @from', 'from', search.from);
  add('created_at <= @to', 'to', search.to);
  add('lseq < @before', 'before', search.beforeLseq);
  const key = "json_extract(state, '$.externalKey')";
  add(
    search.externalKeyPrefix ? `substr(${key}, 1, length(@key)) = @key` : `${key} = @key`,
    'key',
    search.externalKey,
  );
  add(
    memberMatches('representative', 'rep', ['display_name', 'username']),
    'rep',
    search.representative,
  );
  add(memberMatches('customer', 'customer', ['display_name']), 'customer', search.customer);
  return {
    text: `
SELECT lsid, lseq, created_at, ended_at, json_extract(state, '$.ended') AS ended,
  ${key} AS external_key, json_extract(state, '$.owner') AS owner,
  json_extract(state, '$.members') AS members
FROM sessions
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY lseq DESC LIMIT @limit`,
    params,
  };
}
