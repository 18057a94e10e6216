import { createHash, randomInt } from 'node:crypto';
import { recordAudit } from '../audit/index.js';
import { InvalidInputError } from '../errors.js';
import { type NewSession, newLsid } from '../sessions/index.js';
import type { OperationsContext } from './context.js';
import {
  type CommandBy,
  CommandError,
  checkAttributeValues,
  ownerOfQueue,
} from './session-commands.js';
import { type RememberStep, startSession } from './sessions.js';

/*
 * The Command API's generate_session_key, and the session later started with such a key
 * through the sessions API (`POST /api/v1/sessions {"session_key": "…"}`): the key carries an
 * external key and a queue to that session. A key is seven digits, as the appliance's are;
 * only its SHA-256 is stored; it starts one session, and none once expired.
 */

type Ctx = Pick<OperationsContext, 'store' | 'ingest' | 'clock'>;

/** How long a key lasts unless `ttl` says otherwise, and the most it may ask for. */
export const DEFAULT_KEY_TTL_S = 24 * 3600;
export const MAX_KEY_TTL_S = 365 * 24 * 3600;
/** Seven digits, as the appliance's session keys are. */
export const SESSION_KEY = /^[0-9]{7}$/;

export interface SessionKeyRequest {
  /** `general`, `rep:N` or `team:N`. */
  queueId: string;
  externalKey?: string;
  /** Seconds from now; DEFAULT_KEY_TTL_S when left out. */
  ttlSeconds?: number;
}

export interface GeneratedKey {
  shortKey: string;
  queue: string;
  externalKey: string | null;
  /** Unix ms. */
  expiresAt: number;
}

export const hashSessionKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Tries this many random keys before giving up (only when nearly every key is live). */
const ATTEMPTS = 20;

export async function generateSessionKey(
  ctx: Ctx,
  request: SessionKeyRequest,
  by: CommandBy,
): Promise<GeneratedKey> {
  const owner = ownerOfQueue(request.queueId);
  const ttl = request.ttlSeconds ?? DEFAULT_KEY_TTL_S;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_KEY_TTL_S) {
    throw new CommandError(
      'INVALID_PARAMETER',
      `ttl must be a whole number of seconds from 1 to ${MAX_KEY_TTL_S}.`,
      'ttl',
    );
  }
  const externalKey = request.externalKey === '' ? undefined : request.externalKey;
  if (externalKey !== undefined) {
    checkAttributeValues({ externalKey, values: {} }, (c) => `session.custom.${c}`);
  }
  const now = ctx.clock();
  // A whole second, so that the expiry the caller is told is exact; at least ttl from now.
  const expiresAt = Math.ceil((now + ttl * 1000) / 1000) * 1000;
  await ctx.store.sessionKeys.deleteExpired(now);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const shortKey = String(randomInt(0, 10_000_000)).padStart(7, '0');
    const created = await ctx.store.sessionKeys.create({
      hash: hashSessionKey(shortKey),
      externalKey: externalKey ?? null,
      queue: owner.conference_id,
      createdBy: by.actor,
      createdAt: now,
      expiresAt,
    });
    if (!created) continue; // a live key is this one: draw again
    await recordAudit(ctx.store.admin, by.log, {
      at: now,
      actor: by.actor,
      action: 'session-key.generate',
      target: `session key for ${owner.conference_id}`,
      before: null,
      // The key itself stays out of the audit log: it would let a reader start the session.
      after: {
        queue: owner.conference_id,
        external_key: externalKey ?? null,
        expires_at: new Date(expiresAt).toISOString(),
      },
    });
    return { shortKey, queue: owner.conference_id, externalKey: externalKey ?? null, expiresAt };
  }
  throw new Error('no free session key found: too many live keys');
}

const WHY_NOT = {
  unknown: 'is not a key generate_session_key gave',
  used: 'was used already: a key starts one session',
  expired: 'has expired',
} as const;

/** Why a key cannot start a session: 400 naming `session_key`. */
function refused(why: string): InvalidInputError {
  return new InvalidInputError(`session_key ${why}`, 'session_key');
}

/**
 * Starts a session with a key: the key is claimed for the new lsid first (so that a second
 * use is refused even while the first is starting), then the session is started with the
 * key's external key and queue as owner. A start that fails gives the key back. `input` is
 * what the request itself gave; the key's values are only defaults for it.
 */
export async function startSessionWithKey(
  ctx: Ctx,
  key: string,
  input: NewSession,
  remember?: RememberStep,
): Promise<string> {
  if (!SESSION_KEY.test(key)) throw refused('must be the seven digits generate_session_key gave');
  const hash = hashSessionKey(key);
  const lsid = newLsid();
  const claim = await ctx.store.sessionKeys.claim(hash, lsid, ctx.clock());
  if (claim.outcome !== 'claimed') throw refused(WHY_NOT[claim.outcome]);
  const fromKey: NewSession = { owner: ownerOfQueue(claim.key.queue) };
  if (claim.key.externalKey !== null) fromKey.externalKey = claim.key.externalKey;
  try {
    return await startSession(ctx, { ...fromKey, ...input }, lsid, remember);
  } catch (error) {
    await ctx.store.sessionKeys.release(hash, lsid).catch(() => {});
    throw error;
  }
}

/**
 * POST /api/v1/sessions's optional `session_key`, taken out of the body; the rest is what the
 * sessions API reads as usual.
 */
export function splitSessionKey(body: unknown): { sessionKey?: string; rest: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { rest: body };
  if (!Object.hasOwn(body, 'session_key')) return { rest: body };
  const { session_key: sessionKey, ...rest } = body as Record<string, unknown>;
  if (typeof sessionKey !== 'string') {
    throw new InvalidInputError(
      'session_key must be a string: the seven digits generate_session_key gave',
      'session_key',
    );
  }
  return { sessionKey, rest };
}
