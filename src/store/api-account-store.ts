/**
 * API accounts: the OAuth2 clients of the appliance APIs (src/appliance-api/), their access
 * tokens, and the legacy username/password grants of administrators. Secrets are never stored
 * as given: the client secret and each access token as SHA-256 hashes (both are random and
 * long, so a slow hash would add nothing), so a copy of the database lets no one call the APIs.
 */

/** The Command API an account may use: every action, the `get_*` ones only, or none. */
export type CommandPermission = 'full' | 'read_only' | 'deny';
export const COMMAND_PERMISSIONS: readonly CommandPermission[] = ['full', 'read_only', 'deny'];

export interface ApiAccount {
  id: number;
  name: string;
  clientId: string;
  /** Support-session reports (the Reporting API). */
  reporting: boolean;
  command: CommandPermission;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewApiAccount {
  name: string;
  clientId: string;
  secretHash: string;
  reporting: boolean;
  command: CommandPermission;
}

/** What may change of an account; a new secret hash or `enabled: false` revokes its tokens. */
export interface ApiAccountChange {
  reporting?: boolean;
  command?: CommandPermission;
  enabled?: boolean;
  secretHash?: string;
}

/** An administrator's legacy (username/password) access to the appliance APIs. */
export interface ApiUserGrants {
  reporting: boolean;
  command: boolean;
}

export interface ApiAccountStore {
  /** Undefined when the name is taken. */
  create(account: NewApiAccount, now: number): Promise<ApiAccount | undefined>;
  /** By name. */
  list(): Promise<ApiAccount[]>;
  find(name: string): Promise<ApiAccount | undefined>;
  /** The account with this client id and its secret's hash (to compare in constant time). */
  findClient(clientId: string): Promise<{ account: ApiAccount; secretHash: string } | undefined>;
  /**
   * Applies the change in one transaction; a new secret hash or disabling deletes every token
   * of the account in that same transaction. Undefined when there is no such account.
   */
  update(name: string, change: ApiAccountChange, now: number): Promise<ApiAccount | undefined>;
  /** Deletes the account and its tokens; undefined when there was none. */
  remove(name: string): Promise<ApiAccount | undefined>;

  /**
   * Stores a token of an enabled account in one transaction: the account's expired tokens
   * are deleted, then the oldest live ones beyond `maxLive` (counting the new one). False
   * (nothing stored) when the account is gone or disabled by then.
   */
  issueToken(
    accountId: number,
    hash: string,
    now: number,
    expiresAt: number,
    maxLive: number,
  ): Promise<boolean>;
  /** The enabled account a live (unexpired) token with this hash belongs to. */
  findToken(hash: string, now: number): Promise<ApiAccount | undefined>;
  /** Live tokens per account id (the admin page). */
  liveTokenCounts(now: number): Promise<Map<number, number>>;
  /** Deletes every expired token; returns how many. */
  pruneExpiredTokens(now: number): Promise<number>;

  /** An administrator's grants; undefined when there is no such user. */
  userGrants(userId: number): Promise<ApiUserGrants | undefined>;
  /** Changes what is given; the grants after, undefined when there is no such user. */
  setUserGrants(name: string, grants: Partial<ApiUserGrants>): Promise<ApiUserGrants | undefined>;
  /** Every administrator's grants, by name. */
  listUserGrants(): Promise<Array<{ name: string } & ApiUserGrants>>;
}
