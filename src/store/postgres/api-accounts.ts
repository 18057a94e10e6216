import {
  ACCOUNT_COLUMNS,
  type ApiAccountRow,
  type GrantRow,
  toApiAccount,
  toGrants,
} from '../api-account-rows.js';
import type {
  ApiAccount,
  ApiAccountChange,
  ApiAccountStore,
  ApiUserGrants,
  NewApiAccount,
} from '../api-account-store.js';
import type { PostgresConnection } from './database.js';

const ACCOUNT = `SELECT ${ACCOUNT_COLUMNS} FROM api_accounts`;
const INSERT = `
INSERT INTO api_accounts (name, client_id, secret_hash, reporting, command, enabled, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, TRUE, $6, $6)
ON CONFLICT (name) DO NOTHING
RETURNING ${ACCOUNT_COLUMNS}`;
const UPDATE = `
UPDATE api_accounts SET
  reporting = coalesce($2, reporting),
  command = coalesce($3, command),
  enabled = coalesce($4, enabled),
  secret_hash = coalesce($5, secret_hash),
  updated_at = $6
WHERE name = $1
RETURNING ${ACCOUNT_COLUMNS}`;
const DELETE_TOKENS = 'DELETE FROM api_account_tokens WHERE account_id = $1';
const DELETE_ACCOUNT = `DELETE FROM api_accounts WHERE name = $1 RETURNING ${ACCOUNT_COLUMNS}`;
// Locks the account's row: token requests of one account line up, so that the count of live
// tokens each sees includes the others', and a disable or new secret waits for them (or they
// for it, and then find it disabled).
const LOCK_ENABLED = 'SELECT id FROM api_accounts WHERE id = $1 AND enabled FOR UPDATE';
const DELETE_EXPIRED_OF =
  'DELETE FROM api_account_tokens WHERE account_id = $1 AND expires_at <= $2';
const INSERT_TOKEN = `
INSERT INTO api_account_tokens (hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`;
// The newest `maxLive` stay; created_at ties broken by the hash (any fixed order will do).
const DELETE_OLDEST = `
DELETE FROM api_account_tokens WHERE account_id = $1 AND hash NOT IN (
  SELECT hash FROM api_account_tokens WHERE account_id = $1
  ORDER BY created_at DESC, (hash = $3) DESC, hash DESC LIMIT $2
)`;
const FIND_TOKEN = `
SELECT ${ACCOUNT_COLUMNS.split(', ')
  .map((c) => `a.${c}`)
  .join(', ')}
FROM api_account_tokens t JOIN api_accounts a ON a.id = t.account_id
WHERE t.hash = $1 AND t.expires_at > $2 AND a.enabled`;
const LIVE_COUNTS = `
SELECT account_id, count(*) AS n FROM api_account_tokens WHERE expires_at > $1 GROUP BY account_id`;
const PRUNE = 'DELETE FROM api_account_tokens WHERE expires_at <= $1';
const GRANTS_OF = 'SELECT name, reporting_api, command_api FROM admin_users WHERE id = $1';
const SET_GRANTS = `
UPDATE admin_users SET
  reporting_api = coalesce($2, reporting_api),
  command_api = coalesce($3, command_api)
WHERE name = $1
RETURNING name, reporting_api, command_api`;
const LIST_GRANTS = 'SELECT name, reporting_api, command_api FROM admin_users ORDER BY name';

/** The API account tables in the shared database: a token one node issues, every node takes. */
export class PostgresApiAccountStore implements ApiAccountStore {
  constructor(private readonly conn: PostgresConnection) {}

  async create(account: NewApiAccount, now: number): Promise<ApiAccount | undefined> {
    const { name, clientId, secretHash, reporting, command } = account;
    return this.conn.first(
      INSERT,
      [name, clientId, secretHash, reporting, command, now],
      toApiAccount,
    );
  }

  async list(): Promise<ApiAccount[]> {
    return (await this.conn.rows<ApiAccountRow>(`${ACCOUNT} ORDER BY name`)).map(toApiAccount);
  }

  async find(name: string): Promise<ApiAccount | undefined> {
    return this.conn.first(`${ACCOUNT} WHERE name = $1`, [name], toApiAccount);
  }

  async findClient(
    clientId: string,
  ): Promise<{ account: ApiAccount; secretHash: string } | undefined> {
    return this.conn.first(
      `SELECT ${ACCOUNT_COLUMNS}, secret_hash FROM api_accounts WHERE client_id = $1`,
      [clientId],
      (row: ApiAccountRow & { secret_hash: string }) => ({
        account: toApiAccount(row),
        secretHash: row.secret_hash,
      }),
    );
  }

  async update(
    name: string,
    change: ApiAccountChange,
    now: number,
  ): Promise<ApiAccount | undefined> {
    return this.conn.transaction('on', async (client) => {
      const { rows } = await client.query<ApiAccountRow>(UPDATE, [
        name,
        change.reporting ?? null,
        change.command ?? null,
        change.enabled ?? null,
        change.secretHash ?? null,
        now,
      ]);
      const [row] = rows;
      if (row === undefined) return undefined;
      if (change.secretHash !== undefined || change.enabled === false) {
        await client.query(DELETE_TOKENS, [row.id]);
      }
      return toApiAccount(row);
    });
  }

  async remove(name: string): Promise<ApiAccount | undefined> {
    // Its tokens go with it (ON DELETE CASCADE).
    return this.conn.first(DELETE_ACCOUNT, [name], toApiAccount);
  }

  async issueToken(
    accountId: number,
    hash: string,
    now: number,
    expiresAt: number,
    maxLive: number,
  ): Promise<boolean> {
    return this.conn.transaction('on', async (client) => {
      const locked = await client.query(LOCK_ENABLED, [accountId]);
      if (locked.rows.length === 0) return false;
      await client.query(DELETE_EXPIRED_OF, [accountId, now]);
      await client.query(INSERT_TOKEN, [hash, accountId, now, expiresAt]);
      await client.query(DELETE_OLDEST, [accountId, maxLive, hash]);
      return true;
    });
  }

  async findToken(hash: string, now: number): Promise<ApiAccount | undefined> {
    return this.conn.first(FIND_TOKEN, [hash, now], toApiAccount);
  }

  async liveTokenCounts(now: number): Promise<Map<number, number>> {
    const rows = await this.conn.rows<{ account_id: number; n: number }>(LIVE_COUNTS, [now]);
    return new Map(rows.map((row) => [Number(row.account_id), Number(row.n)]));
  }

  async pruneExpiredTokens(now: number): Promise<number> {
    return (await this.conn.pool('off').query(PRUNE, [now])).rowCount ?? 0;
  }

  async userGrants(userId: number): Promise<ApiUserGrants | undefined> {
    return this.conn.first(GRANTS_OF, [userId], (row: GrantRow) => {
      const { reporting, command } = toGrants(row);
      return { reporting, command };
    });
  }

  async setUserGrants(
    name: string,
    grants: Partial<ApiUserGrants>,
  ): Promise<ApiUserGrants | undefined> {
    return this.conn.first(
      SET_GRANTS,
      [name, grants.reporting ?? null, grants.command ?? null],
      (row: GrantRow) => {
        const { reporting, command } = toGrants(row);
        return { reporting, command };
      },
    );
  }

  async listUserGrants(): Promise<Array<{ name: string } & ApiUserGrants>> {
    return (await this.conn.rows<GrantRow>(LIST_GRANTS)).map(toGrants);
  }
}
