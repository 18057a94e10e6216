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
import type { SqliteConnection } from './database.js';

const ACCOUNT = `SELECT ${ACCOUNT_COLUMNS} FROM api_accounts`;
const INSERT = `
INSERT INTO api_accounts (name, client_id, secret_hash, reporting, command, enabled, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, 1, ?, ?)
ON CONFLICT (name) DO NOTHING
RETURNING ${ACCOUNT_COLUMNS}`;
const UPDATE = `
UPDATE api_accounts SET
  reporting = coalesce(@reporting, reporting),
  command = coalesce(@command, command),
  enabled = coalesce(@enabled, enabled),
  secret_hash = coalesce(@secretHash, secret_hash),
  updated_at = @now
WHERE name = @name
RETURNING ${ACCOUNT_COLUMNS}`;
const DELETE_TOKENS = 'DELETE FROM api_account_tokens WHERE account_id = ?';
const DELETE_ACCOUNT = `DELETE FROM api_accounts WHERE name = ? RETURNING ${ACCOUNT_COLUMNS}`;
const ENABLED = 'SELECT 1 AS ok FROM api_accounts WHERE id = ? AND enabled = 1';
const DELETE_EXPIRED_OF = 'DELETE FROM api_account_tokens WHERE account_id = ? AND expires_at <= ?';
const INSERT_TOKEN = `
INSERT INTO api_account_tokens (hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`;
// The newest `maxLive` stay: created_at ties broken by rowid (insertion order).
const DELETE_OLDEST = `
DELETE FROM api_account_tokens WHERE account_id = @id AND rowid NOT IN (
  SELECT rowid FROM api_account_tokens WHERE account_id = @id
  ORDER BY created_at DESC, rowid DESC LIMIT @keep
)`;
const FIND_TOKEN = `
SELECT ${ACCOUNT_COLUMNS.split(', ')
  .map((c) => `a.${c}`)
  .join(', ')}
FROM api_account_tokens t JOIN api_accounts a ON a.id = t.account_id
WHERE t.hash = ? AND t.expires_at > ? AND a.enabled = 1`;
const LIVE_COUNTS = `
SELECT account_id, count(*) AS n FROM api_account_tokens WHERE expires_at > ? GROUP BY account_id`;
const PRUNE = 'DELETE FROM api_account_tokens WHERE expires_at <= ?';
const GRANTS_OF = 'SELECT name, reporting_api, command_api FROM admin_users WHERE id = ?';
const SET_GRANTS = `
UPDATE admin_users SET
  reporting_api = coalesce(@reporting, reporting_api),
  command_api = coalesce(@command, command_api)
WHERE name = @name
RETURNING name, reporting_api, command_api`;
const LIST_GRANTS = 'SELECT name, reporting_api, command_api FROM admin_users ORDER BY name';

const bit = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);

/** The API account tables in the SQLite file, on the store's one connection. */
export class SqliteApiAccountStore implements ApiAccountStore {
  constructor(private readonly conn: SqliteConnection) {}

  async create(account: NewApiAccount, now: number): Promise<ApiAccount | undefined> {
    const { name, clientId, secretHash, reporting, command } = account;
    return this.conn.transaction('FULL', () =>
      this.conn.first(
        INSERT,
        [name, clientId, secretHash, bit(reporting), command, now, now],
        toApiAccount,
      ),
    );
  }

  async list(): Promise<ApiAccount[]> {
    const rows = this.conn.statement(`${ACCOUNT} ORDER BY name`).all() as ApiAccountRow[];
    return rows.map(toApiAccount);
  }

  async find(name: string): Promise<ApiAccount | undefined> {
    return this.conn.first(`${ACCOUNT} WHERE name = ?`, [name], toApiAccount);
  }

  async findClient(
    clientId: string,
  ): Promise<{ account: ApiAccount; secretHash: string } | undefined> {
    return this.conn.first(
      `SELECT ${ACCOUNT_COLUMNS}, secret_hash FROM api_accounts WHERE client_id = ?`,
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
    return this.conn.transaction('FULL', () => {
      const row = this.conn.statement(UPDATE).get({
        name,
        now,
        reporting: bit(change.reporting),
        command: change.command ?? null,
        enabled: bit(change.enabled),
        secretHash: change.secretHash ?? null,
      }) as ApiAccountRow | undefined;
      if (row === undefined) return undefined;
      if (change.secretHash !== undefined || change.enabled === false) {
        this.conn.statement(DELETE_TOKENS).run(row.id);
      }
      return toApiAccount(row);
    });
  }

  async remove(name: string): Promise<ApiAccount | undefined> {
    // Its tokens go with it (ON DELETE CASCADE; the connection has foreign_keys on).
    return this.conn.transaction('FULL', () =>
      this.conn.first(DELETE_ACCOUNT, [name], toApiAccount),
    );
  }

  async issueToken(
    accountId: number,
    hash: string,
    now: number,
    expiresAt: number,
    maxLive: number,
  ): Promise<boolean> {
    return this.conn.transaction('FULL', () => {
      if (this.conn.statement(ENABLED).get(accountId) === undefined) return false;
      this.conn.statement(DELETE_EXPIRED_OF).run(accountId, now);
      this.conn.statement(INSERT_TOKEN).run(hash, accountId, now, expiresAt);
      this.conn.statement(DELETE_OLDEST).run({ id: accountId, keep: maxLive });
      return true;
    });
  }

  async findToken(hash: string, now: number): Promise<ApiAccount | undefined> {
    return this.conn.first(FIND_TOKEN, [hash, now], toApiAccount);
  }

  async liveTokenCounts(now: number): Promise<Map<number, number>> {
    const rows = this.conn.statement(LIVE_COUNTS).all(now) as Array<{
      account_id: number;
      n: number;
    }>;
    return new Map(rows.map((row) => [Number(row.account_id), Number(row.n)]));
  }

  async pruneExpiredTokens(now: number): Promise<number> {
    return this.conn.run('NORMAL', this.conn.statement(PRUNE), now).changes;
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
    return this.conn.transaction('FULL', () => {
      const row = this.conn.statement(SET_GRANTS).get({
        name,
        reporting: bit(grants.reporting),
        command: bit(grants.command),
      }) as GrantRow | undefined;
      if (row === undefined) return undefined;
      const { reporting, command } = toGrants(row);
      return { reporting, command };
    });
  }

  async listUserGrants(): Promise<Array<{ name: string } & ApiUserGrants>> {
    return (this.conn.statement(LIST_GRANTS).all() as GrantRow[]).map(toGrants);
  }
}
