import { createHash } from 'node:crypto';
import { ConflictError, InvalidInputError, OutboundError } from '../errors.js';
import {
  IdempotencyKeyTakenError,
  KEY_LIFETIME_MS,
  type KeyToRemember,
  type RememberedKey,
} from '../store/idempotency-store.js';
import type { Store } from '../store/store.js';
import type { OperationsContext } from './context.js';

/*
 * The API's Idempotency-Key (POST /api/v1/events and the session calls). The first successful
 * answer to a key is stored, per API token, in the same transaction as what the request
 * stored; the same key within 24 h gets that answer back (`replayed`) and stores nothing.
 * Refusals (4xx) and failures (5xx) store no key: the corrected request may reuse it.
 */

/** The header, as errors name it. */
export const IDEMPOTENCY_KEY = 'Idempotency-Key';

/** 1 to 255 printable ASCII characters (space to tilde), as Stripe and the IETF draft take. */
const KEY = /^[\x20-\x7e]{1,255}$/;

/** An answer of a route: its status and JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

/** What makes a request the same request: its credential, key and content. */
export interface KeyScope {
  tokenId: number;
  key: string;
  fingerprint: string;
}

/** The same key was sent with another request: 422 naming the header. */
export class IdempotencyKeyReusedError extends OutboundError {
  constructor(key: string) {
    super(
      'OUTBOUND_IDEMPOTENCY_KEY_REUSED',
      422,
      `${IDEMPOTENCY_KEY} "${key}" was used within 24 h for a different request (another method, path or body): send a new key for a new request`,
      IDEMPOTENCY_KEY,
    );
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The header's key, checked; undefined when the request has none. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header) || !KEY.test(header)) {
    throw new InvalidInputError(
      `${IDEMPOTENCY_KEY} must be one value of 1 to 255 printable ASCII characters (a UUID is a good key)`,
      IDEMPOTENCY_KEY,
    );
  }
  return header;
}

/** Object keys in a fixed order, so that `{"a":1,"b":2}` and `{"b":2,"a":1}` are one body. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = canonical((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

/**
 * The request's fingerprint: method, path (with its lsid: one key on two sessions is two
 * requests) and the body in canonical form (JSON with sorted keys; a form's fields sorted).
 */
export function requestFingerprint(
  method: string,
  path: string,
  body: unknown,
  form = false,
): string {
  let content: string;
  if (body === undefined || body === null) content = 'none';
  else if (form && typeof body === 'string') {
    const fields = [...new URLSearchParams(body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    content = `form:${JSON.stringify(fields)}`;
  } else content = `json:${JSON.stringify(canonical(body))}`;
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${content}`).digest('hex');
}

/** Keys whose request is being handled by this process, per store. */
const inFlight = new WeakMap<Store, Set<string>>();

/**
 * Runs `run` once per key: `run` stores its work with the key record `rememberAs(answer)`
 * gives (undefined without a key). A key already answered gets that answer back, a key
 * answered for another request is refused with 422, a key whose first request is still
 * being handled here with 409 (`idempotency_key_in_flight`): waiting for it would hold this
 * request open for as long as the first one takes, and a retry after it ends is replayed.
 */
export async function idempotent(
  ctx: Pick<OperationsContext, 'store' | 'clock'>,
  scope: KeyScope | undefined,
  run: (rememberAs: ((answer: Answer) => KeyToRemember) | undefined) => Promise<Answer>,
): Promise<Answer & { replayed: boolean }> {
  if (scope === undefined) return { ...(await run(undefined)), replayed: false };
  const stored = await liveKey(ctx, scope);
  if (stored !== undefined) return replay(stored, scope);
  const running = inFlight.get(ctx.store) ?? new Set<string>();
  inFlight.set(ctx.store, running);
  const id = `${scope.tokenId}\n${scope.key}`;
  if (running.has(id)) {
    throw new ConflictError(
      `a request with ${IDEMPOTENCY_KEY} "${scope.key}" is still being handled: retry it once that one has answered`,
      { field: IDEMPOTENCY_KEY, code: 'OUTBOUND_IDEMPOTENCY_KEY_IN_FLIGHT' },
    );
  }
  running.add(id);
  try {
    const answer = await run((answer) => ({
      tokenId: scope.tokenId,
      key: scope.key,
      fingerprint: scope.fingerprint,
      status: answer.status,
      body: JSON.stringify(answer.body),
    }));
    return { ...answer, replayed: false };
  } catch (error) {
    // Another process stored the key first (the store refused ours, and stored nothing).
    if (error instanceof IdempotencyKeyTakenError) {
      const winner = await liveKey(ctx, scope);
      if (winner !== undefined) return replay(winner, scope);
    }
    throw error;
  } finally {
    running.delete(id);
  }
}

async function liveKey(
  ctx: Pick<OperationsContext, 'store' | 'clock'>,
  scope: KeyScope,
): Promise<RememberedKey | undefined> {
  const stored = await ctx.store.idempotency.find(scope.tokenId, scope.key);
  // An expired key not yet pruned counts as new; storing it again takes its row over.
  if (stored === undefined || stored.createdAt <= ctx.clock() - KEY_LIFETIME_MS) return undefined;
  return stored;
}

function replay(stored: RememberedKey, scope: KeyScope): Answer & { replayed: boolean } {
  if (stored.fingerprint !== scope.fingerprint) throw new IdempotencyKeyReusedError(scope.key);
  return { status: stored.status, body: JSON.parse(stored.body) as unknown, replayed: true };
}
