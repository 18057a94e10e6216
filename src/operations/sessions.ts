import { EventValidationError } from '../events/index.js';
import {
  applyAction,
  createSession,
  type NewSession,
  newLsid,
  type SessionAction,
  type SessionOutcome,
  type SessionRecord,
  sessionNotFound,
} from '../sessions/index.js';
import type { RememberChange, SessionChangeResult } from '../store/store.js';
import type { NewEvent } from '../types.js';
import type { OperationsContext } from './context.js';
import { toNewEvent } from './new-event.js';

/*
 * Support sessions (CONTRACT §5): each call is one step of the session rules, and its events
 * are committed in the same transaction as the session's new state. A refused step stores
 * nothing.
 */

type Ctx = Pick<OperationsContext, 'store' | 'ingest' | 'clock'>;

/**
 * Runs one step of the rules on the stored session (`timestamp`: Unix seconds for its events)
 * and commits the outcome.
 */
function change(
  ctx: Ctx,
  lsid: string,
  outcome: (current: SessionRecord | undefined, timestamp: number) => SessionOutcome,
  remember?: RememberStep,
): Promise<SessionChangeResult<number | undefined>> {
  const now = ctx.clock();
  const timestamp = Math.floor(now / 1000);
  return ctx.ingest.changeSession(
    lsid,
    (current) => {
      const { state, events, memberId } = outcome(current, timestamp);
      // Each event keeps the custom attributes of this moment: a recipient that sends custom
      // fields (decided at send time) sends what the session had when the event happened.
      const customFields = snapshot(state.customAttributes);
      return {
        state,
        events: events.map((e) => withCustomFields(toNewEvent(e, now), customFields)),
        result: memberId,
      };
    },
    now,
    remember,
  );
}

/** The Idempotency-Key a step stores with its change (operations/idempotency.ts). */
export type RememberStep = RememberChange<number | undefined>;

/** A copy of the attributes, undefined when there are none (stored as NULL). */
function snapshot(attributes: Record<string, string>): Record<string, string> | undefined {
  const keys = Object.keys(attributes);
  return keys.length === 0 ? undefined : { ...attributes };
}

function withCustomFields(event: NewEvent, customFields: Record<string, string> | undefined) {
  if (customFields !== undefined) event.customFields = customFields;
  return event;
}

/**
 * A new session; returns its lsid. `lsid` is chosen beforehand only when something must name
 * the session before it exists (a session key is claimed for it: operations/session-keys.ts).
 */
export async function startSession(
  ctx: Ctx,
  input: NewSession,
  lsid: string = newLsid(),
  remember?: RememberStep,
): Promise<string> {
  await change(
    ctx,
    lsid,
    (current, timestamp) => {
      // 122 random bits do not collide; if they ever did, fail rather than merge sessions.
      if (current !== undefined) throw new Error(`lsid ${lsid} is taken`);
      return createSession(lsid, input, timestamp);
    },
    remember,
  );
  return lsid;
}

/**
 * One step of an existing session. An 'attributes' step may only set custom fields that are
 * defined (read before the step: a definition removed meanwhile still takes this value).
 */
export async function stepSession(
  ctx: Ctx,
  lsid: string,
  action: SessionAction,
  remember?: RememberStep,
): Promise<SessionChangeResult<number | undefined>> {
  if (action.kind === 'attributes') await checkDefined(ctx, Object.keys(action.values));
  return change(
    ctx,
    lsid,
    (current, timestamp) => {
      if (current === undefined) throw sessionNotFound(lsid);
      return applyAction(current.state, action, timestamp);
    },
    remember,
  );
}

export async function findSession(ctx: Ctx, lsid: string): Promise<SessionRecord> {
  const record = await ctx.store.getSession(lsid);
  if (record === undefined) throw sessionNotFound(lsid);
  return record;
}

async function checkDefined(ctx: Ctx, codeNames: string[]): Promise<void> {
  if (codeNames.length === 0) return;
  const known = new Set((await ctx.store.customFields.list()).map((f) => f.codeName));
  for (const codeName of codeNames) {
    if (!known.has(codeName)) {
      throw new EventValidationError(
        `unknown custom field "${codeName}": define it first (POST /api/v1/custom-fields, or outbound custom-field add ${codeName} --display-name NAME)`,
        codeName,
      );
    }
  }
}
