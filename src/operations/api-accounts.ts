import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type AuditLog, recordAudit } from '../audit/index.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import type { AdminUser } from '../store/admin-store.js';
import {
  type ApiAccount,
  type ApiAccountChange,
  COMMAND_PERMISSIONS,
  type CommandPermission,
} from '../store/api-account-store.js';
import type { Store } from '../store/store.js';

/*
 * API accounts of the appliance APIs (OAuth2 client credentials), their access tokens, and
 * administrators' legacy username/password grants: shared by the command line, the admin
 * pages and the appliance API's access check. Every change is audited.
 */

type Ctx = { store: Store; clock: () => number };

/** Who made a change, for the audit log. */
export interface ChangedBy {
  actor: string;
  log: AuditLog;
}

/** Who called an appliance API, once its credentials were checked. */
export type ApplianceCaller =
  | {
      kind: 'account';
      accountId: number;
      name: string;
      reporting: boolean;
      command: CommandPermission;
    }
  | { kind: 'user'; userId: number; name: string; reporting: boolean; command: 'full' | 'deny' };

/** An access token lasts this long (the appliance's hour). */
export const TOKEN_LIFETIME_S = 3600;
/** Live tokens an account may hold: issuing one more invalidates its oldest. */
export const MAX_LIVE_TOKENS = 30;
/** The settings key of the admin's switch for legacy username/password parameters. */
export const LEGACY_AUTH_SETTING = 'appliance-api.legacy-auth';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** A reason the account name cannot be used, or undefined. */
export function accountNameProblem(name: string): string | undefined {
  return NAME.test(name)
    ? undefined
    : 'an API account name is 1–64 letters, digits, . _ @ or -, starting with a letter or digit';
}

export function commandPermission(value: string): CommandPermission {
  if ((COMMAND_PERMISSIONS as readonly string[]).includes(value)) return value as CommandPermission;
  throw new InvalidInputError(
    `command permission must be one of ${COMMAND_PERMISSIONS.join(', ')}, got "${value}"`,
    'command',
  );
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

const newClientId = () => randomBytes(16).toString('hex');
const newSecret = () => randomBytes(32).toString('base64url');
const newAccessToken = () => randomBytes(32).toString('base64url');

/** An account as the audit log keeps it (never its secret). */
function snapshot(account: ApiAccount) {
  return {
    name: account.name,
    clientId: account.clientId,
    reporting: account.reporting,
    command: account.command,
    enabled: account.enabled,
  };
}

const target = (account: Pick<ApiAccount, 'id' | 'name'>) =>
  `api account ${account.id} (${account.name})`;

async function audit(
  ctx: Ctx,
  by: ChangedBy,
  action: string,
  on: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await recordAudit(ctx.store.admin, by.log, {
    at: ctx.clock(),
    actor: by.actor,
    action,
    target: on,
    before,
    after,
  });
}

const noAccount = (name: string) => new NotFoundError(`no API account named "${name}"`);

export async function listApiAccounts(ctx: Ctx): Promise<ApiAccount[]> {
  return ctx.store.apiAccounts.list();
}

/** Creates an account; its secret is in the answer and nowhere else, ever. */
export async function createApiAccount(
  ctx: Ctx,
  input: { name: string; reporting: boolean; command: CommandPermission },
  by: ChangedBy,
): Promise<{ account: ApiAccount; clientSecret: string }> {
  const problem = accountNameProblem(input.name);
  if (problem !== undefined) throw new InvalidInputError(problem, 'name');
  const clientSecret = newSecret();
  const account = await ctx.store.apiAccounts.create(
    {
      name: input.name,
      clientId: newClientId(),
      secretHash: sha256(clientSecret).toString('hex'),
      reporting: input.reporting,
      command: commandPermission(input.command),
    },
    ctx.clock(),
  );
  if (account === undefined) {
    throw new ConflictError(`an API account named "${input.name}" already exists`, {
      field: 'name',
    });
  }
  await audit(ctx, by, 'api-account.create', target(account), null, snapshot(account));
  return { account, clientSecret };
}

async function change(
  ctx: Ctx,
  name: string,
  changeTo: ApiAccountChange,
  action: string,
  by: ChangedBy,
): Promise<ApiAccount> {
  const before = await ctx.store.apiAccounts.find(name);
  if (before === undefined) throw noAccount(name);
  const after = await ctx.store.apiAccounts.update(name, changeTo, ctx.clock());
  if (after === undefined) throw noAccount(name);
  await audit(ctx, by, action, target(after), snapshot(before), snapshot(after));
  return after;
}

/** Changes what an account may do (its tokens stay: they carry no permissions themselves). */
export function setApiAccountPermissions(
  ctx: Ctx,
  name: string,
  permissions: { reporting?: boolean; command?: CommandPermission },
  by: ChangedBy,
): Promise<ApiAccount> {
  const command =
    permissions.command === undefined ? undefined : commandPermission(permissions.command);
  return change(
    ctx,
    name,
    { reporting: permissions.reporting, command },
    'api-account.permissions',
    by,
  );
}

/** Disabling revokes every token of the account at once; enabling issues none. */
export function setApiAccountEnabled(
  ctx: Ctx,
  name: string,
  enabled: boolean,
  by: ChangedBy,
): Promise<ApiAccount> {
  return change(ctx, name, { enabled }, enabled ? 'api-account.enable' : 'api-account.disable', by);
}

/** A new secret; the old one and every token issued with it stop working at once. */
export async function regenerateApiAccountSecret(
  ctx: Ctx,
  name: string,
  by: ChangedBy,
): Promise<{ account: ApiAccount; clientSecret: string }> {
  const clientSecret = newSecret();
  const account = await change(
    ctx,
    name,
    { secretHash: sha256(clientSecret).toString('hex') },
    'api-account.regenerate-secret',
    by,
  );
  return { account, clientSecret };
}

export async function removeApiAccount(ctx: Ctx, name: string, by: ChangedBy): Promise<void> {
  const removed = await ctx.store.apiAccounts.remove(name);
  if (removed === undefined) throw noAccount(name);
  await audit(ctx, by, 'api-account.remove', target(removed), snapshot(removed), null);
}

// Compared against when the client id is unknown, so that the answer takes as long.
const DECOY_HASH = sha256(newSecret());

/**
 * The client credentials grant: a new access token for the account with this client id and
 * secret, or undefined (unknown client, wrong secret, disabled account: one answer for all).
 * The secret's hash is compared in constant time.
 */
export async function issueAccessToken(
  ctx: Ctx,
  clientId: string,
  clientSecret: string,
): Promise<{ accessToken: string; expiresIn: number; account: ApiAccount } | undefined> {
  const found = clientId === '' ? undefined : await ctx.store.apiAccounts.findClient(clientId);
  const expected = found === undefined ? DECOY_HASH : Buffer.from(found.secretHash, 'hex');
  const given = sha256(clientSecret);
  const same = expected.length === given.length && timingSafeEqual(expected, given);
  if (found === undefined || !same || !found.account.enabled) return undefined;
  const accessToken = newAccessToken();
  const now = ctx.clock();
  const stored = await ctx.store.apiAccounts.issueToken(
    found.account.id,
    sha256(accessToken).toString('hex'),
    now,
    now + TOKEN_LIFETIME_S * 1000,
    MAX_LIVE_TOKENS,
  );
  if (!stored) return undefined; // disabled or removed meanwhile
  return { accessToken, expiresIn: TOKEN_LIFETIME_S, account: found.account };
}

/** How often at most every account's expired tokens are deleted (each issue deletes its own). */
const PRUNE_EVERY_MS = 60_000;
const lastPrune = new WeakMap<Store, number>();

/**
 * The caller a bearer token stands for: a live token of an enabled account, never cached, so
 * that revoking (disable, new secret, removal) holds on the next request on every node.
 */
export async function authenticateBearer(
  ctx: Ctx,
  token: string,
): Promise<ApplianceCaller | undefined> {
  const now = ctx.clock();
  if (now - (lastPrune.get(ctx.store) ?? 0) >= PRUNE_EVERY_MS) {
    lastPrune.set(ctx.store, now);
    await ctx.store.apiAccounts.pruneExpiredTokens(now);
  }
  const account = await ctx.store.apiAccounts.findToken(sha256(token).toString('hex'), now);
  if (account === undefined) return undefined;
  return {
    kind: 'account',
    accountId: account.id,
    name: account.name,
    reporting: account.reporting,
    command: account.command,
  };
}

/** Live tokens per account id (the admin page shows them). */
export function liveTokenCounts(ctx: Ctx): Promise<Map<number, number>> {
  return ctx.store.apiAccounts.liveTokenCounts(ctx.clock());
}

/**
 * Whether legacy `username`/`password` parameters are read: only when the operator allowed it
 * (OUTBOUND_LEGACY_API_AUTH=true, `envAllowed`) AND an administrator turned it on.
 */
export async function legacyApiAuthEnabled(ctx: Ctx, envAllowed: boolean): Promise<boolean> {
  if (!envAllowed) return false;
  return (await ctx.store.settings.get(LEGACY_AUTH_SETTING)) === true;
}

/** The administrator's switch (the setting alone: the environment must allow it too). */
export async function legacyApiAuthSetting(ctx: Ctx): Promise<boolean> {
  return (await ctx.store.settings.get(LEGACY_AUTH_SETTING)) === true;
}

export async function setLegacyApiAuth(ctx: Ctx, on: boolean, by: ChangedBy): Promise<void> {
  const before = await legacyApiAuthSetting(ctx);
  await ctx.store.settings.put(LEGACY_AUTH_SETTING, on, ctx.clock());
  await audit(
    ctx,
    by,
    'settings.legacy-api-auth',
    'legacy API authentication',
    { enabled: before },
    { enabled: on },
  );
}

/** The caller a signed-in administrator is, or undefined when given neither API. */
export async function userApiCaller(
  ctx: Ctx,
  user: Pick<AdminUser, 'id' | 'name'>,
): Promise<ApplianceCaller | undefined> {
  const grants = await ctx.store.apiAccounts.userGrants(user.id);
  if (grants === undefined || (!grants.reporting && !grants.command)) return undefined;
  return {
    kind: 'user',
    userId: user.id,
    name: user.name,
    reporting: grants.reporting,
    command: grants.command ? 'full' : 'deny',
  };
}

/** Gives or takes an administrator's legacy API grants (what is left out stays). */
export async function setUserApiGrants(
  ctx: Ctx,
  name: string,
  grants: { reporting?: boolean; command?: boolean },
  by: ChangedBy,
): Promise<{ reporting: boolean; command: boolean }> {
  const before = (await ctx.store.apiAccounts.listUserGrants()).find((u) => u.name === name);
  if (before === undefined) throw new NotFoundError(`no user named "${name}"`);
  const after = await ctx.store.apiAccounts.setUserGrants(name, grants);
  if (after === undefined) throw new NotFoundError(`no user named "${name}"`);
  await audit(
    ctx,
    by,
    'user.api-grants',
    `user ${name}`,
    { reportingApi: before.reporting, commandApi: before.command },
    { reportingApi: after.reporting, commandApi: after.command },
  );
  return after;
}
