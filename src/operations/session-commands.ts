import { type AuditLog, recordAudit } from '../audit/index.js';
import { EventValidationError, validateEvent } from '../events/index.js';
import {
  type Owner,
  type SessionAction,
  SessionError,
  type SessionRecord,
  type SessionState,
} from '../sessions/index.js';
import type { OperationsContext } from './context.js';
import { findSession, stepSession } from './sessions.js';

/*
 * What the Command API does to a running session (set_session_attributes,
 * get_session_attributes, transfer_session, terminate_session): each change is one step of the
 * session rules, so it emits exactly the schema-1 events the sessions API would, and is
 * audited with who asked.
 */

type Ctx = Pick<OperationsContext, 'store' | 'ingest' | 'clock'>;

/** Who asked, for the audit log: `api-account:<name>` or `user:<name>`. */
export interface CommandBy {
  actor: string;
  log: AuditLog;
}

/** The appliance's limits on set_session_attributes: characters per value, bytes in all. */
export const MAX_ATTRIBUTE_CHARS = 1024;
export const MAX_ATTRIBUTES_BYTES = 10 * 1024;

/** The code name the external key goes by among the custom attributes. */
export const EXTERNAL_KEY = 'external_key';
/** How get_session_attributes labels the external key (the appliance's wording is unconfirmed). */
export const EXTERNAL_KEY_DISPLAY_NAME = 'External Key';

/**
 * A Command API request the session cannot take: the message is what the caller is shown in
 * `<error>`. `param` names the request parameter at fault.
 */
export class CommandError extends Error {
  constructor(
    readonly code:
      | 'MISSING_PARAMETER'
      | 'INVALID_PARAMETER'
      | 'UNKNOWN_CUSTOM_FIELD'
      | 'SESSION_NOT_ACTIVE'
      | 'UNKNOWN_QUEUE',
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** What set_session_attributes changes: left out = unchanged, '' = cleared. */
export interface AttributeChanges {
  externalKey?: string;
  /** Custom attribute values by code name. */
  values: Record<string, string>;
}

/** One attribute as get_session_attributes lists it. */
export interface SessionAttribute {
  codeName: string;
  displayName: string;
  value: string;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Checks each value as the appliance bounds it (≤ 1024 characters each, 10 KB in all, the
 * external key included) and as the events must carry it (well-formed Unicode; the external
 * key without NUL, since it rides on every later event). `param` spells a value's parameter.
 */
export function checkAttributeValues(
  changes: AttributeChanges,
  param: (codeName: string) => string,
): void {
  const all: Array<[string, string]> = Object.entries(changes.values);
  if (changes.externalKey !== undefined) all.unshift([EXTERNAL_KEY, changes.externalKey]);
  let total = 0;
  for (const [codeName, value] of all) {
    const name = param(codeName);
    if (/\p{Surrogate}/u.test(value)) {
      throw new CommandError('INVALID_PARAMETER', `${name} must be well-formed Unicode.`, name);
    }
    const length = [...value].length;
    if (length > MAX_ATTRIBUTE_CHARS) {
      throw new CommandError(
        'INVALID_PARAMETER',
        `${name} is ${length} characters long; at most ${MAX_ATTRIBUTE_CHARS} are allowed.`,
        name,
      );
    }
    total += bytes(value);
  }
  if (changes.externalKey !== undefined && changes.externalKey !== '') {
    checkExternalKey(changes.externalKey, param(EXTERNAL_KEY));
  }
  if (total > MAX_ATTRIBUTES_BYTES) {
    throw new CommandError(
      'INVALID_PARAMETER',
      `The custom attributes, external key included, are ${total} bytes; at most ${MAX_ATTRIBUTES_BYTES} (10 KB) are allowed.`,
    );
  }
}

/** The external key as a schema-1 event will carry it (no NUL, …): refused here otherwise. */
function checkExternalKey(value: string, param: string): void {
  try {
    validateEvent({
      event: 'support_conference_begin',
      version: 1,
      timestamp: 0,
      lsid: '-',
      external_key: value,
    });
  } catch (error) {
    if (error instanceof EventValidationError) {
      throw new CommandError('INVALID_PARAMETER', `${param}: ${error.message}`, param);
    }
    throw error;
  }
}

/** The defined custom fields: code name → display name. */
async function definitions(ctx: Ctx): Promise<Map<string, string>> {
  const fields = await ctx.store.customFields.list();
  return new Map(fields.map((f) => [f.codeName, f.displayName]));
}

/** The session, which must exist and be running. */
export async function activeSession(ctx: Ctx, lsid: string): Promise<SessionRecord> {
  let record: SessionRecord;
  try {
    record = await findSession(ctx, lsid);
  } catch (error) {
    throw notActive(error, lsid);
  }
  if (record.state.ended) throw notActive(undefined, lsid);
  return record;
}

/** The appliance's refusal for an lsid that names no running session. */
function notActive(error: unknown, lsid: string): unknown {
  if (error !== undefined && !(error instanceof SessionError)) return error;
  if (
    error instanceof SessionError &&
    error.code !== 'SESSION_NOT_FOUND' &&
    error.code !== 'SESSION_ENDED'
  ) {
    return error;
  }
  return new CommandError(
    'SESSION_NOT_ACTIVE',
    `There is no active session with lsid "${lsid}".`,
    'lsid',
  );
}

/** One step on a running session; a session found ended or missing is the appliance's error. */
async function step(ctx: Ctx, lsid: string, action: SessionAction): Promise<SessionRecord> {
  try {
    return (await stepSession(ctx, lsid, action)).session;
  } catch (error) {
    throw notActive(error, lsid);
  }
}

/** The session's attributes as the audit log keeps them. */
function attributesOf(state: SessionState) {
  return { external_key: state.externalKey, custom: { ...state.customAttributes } };
}

async function audit(
  ctx: Ctx,
  by: CommandBy,
  action: string,
  lsid: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await recordAudit(ctx.store.admin, by.log, {
    at: ctx.clock(),
    actor: by.actor,
    action,
    target: `session ${lsid}`,
    before,
    after,
  });
}

/**
 * set_session_attributes: the external key and custom values in ONE step, so that a changed
 * external key rides on every event emitted after it. Unknown code names are refused by name,
 * before anything changes.
 */
export async function setSessionAttributes(
  ctx: Ctx,
  lsid: string,
  changes: AttributeChanges,
  by: CommandBy,
  param: (codeName: string) => string = (c) => `session.custom.${c}`,
): Promise<SessionRecord> {
  const known = await definitions(ctx);
  for (const codeName of Object.keys(changes.values)) {
    if (!known.has(codeName)) {
      throw new CommandError(
        'UNKNOWN_CUSTOM_FIELD',
        `Unknown custom attribute "${codeName}" (${param(codeName)}): define it first under Management → API Configuration, or with outbound custom-field add ${codeName} --display-name NAME.`,
        param(codeName),
      );
    }
  }
  checkAttributeValues(changes, param);
  const before = attributesOf((await activeSession(ctx, lsid)).state);
  const action: SessionAction = { kind: 'attributes', values: { ...changes.values } };
  if (changes.externalKey !== undefined) action.externalKey = changes.externalKey;
  const after = await step(ctx, lsid, action);
  await audit(ctx, by, 'session.attributes', lsid, before, attributesOf(after.state));
  return after;
}

/**
 * get_session_attributes: the attributes set on a running session, the external key first
 * (the appliance sets it as `session.custom.external_key`, one attribute among the others).
 */
export async function getSessionAttributes(ctx: Ctx, lsid: string): Promise<SessionAttribute[]> {
  const { state } = await activeSession(ctx, lsid);
  const known = await definitions(ctx);
  const out: SessionAttribute[] = [];
  if (state.externalKey !== null && state.externalKey !== '') {
    out.push({
      codeName: EXTERNAL_KEY,
      displayName: EXTERNAL_KEY_DISPLAY_NAME,
      value: state.externalKey,
    });
  }
  for (const [codeName, value] of Object.entries(state.customAttributes)) {
    if (value === '') continue;
    // A definition removed since: still shown, under its code name.
    out.push({ codeName, displayName: known.get(codeName) ?? codeName, value });
  }
  return out;
}

/**
 * A queue as the appliance's `queue_id` names one: `general`, `rep:N`, `team:N`, or
 * `rep_username:NAME` (a representative who is, or was, in the session: Outbound knows no
 * other). The owner's name: the representative's display name when they took part, else a
 * name made from the id, since the events must carry one.
 */
export function ownerOfQueue(queueId: string, state?: SessionState): Owner {
  if (queueId === 'general') return { conference_id: 'general', conference_name: 'General' };
  const numbered = /^(rep|team):([1-9][0-9]{0,17})$/.exec(queueId);
  if (numbered !== null) {
    const [, kind, id] = numbered as unknown as [string, 'rep' | 'team', string];
    if (kind === 'team') return { conference_id: queueId, conference_name: `Team ${id}` };
    const rep = state === undefined ? undefined : representative(state, (m) => m.user_id === id);
    return { conference_id: queueId, conference_name: rep?.display_name ?? `Representative ${id}` };
  }
  const byName = /^rep_username:(.+)$/s.exec(queueId);
  if (byName !== null && state !== undefined) {
    const username = byName[1] as string;
    const rep = representative(state, (m) => m.username === username);
    if (rep !== undefined) {
      return { conference_id: `rep:${rep.user_id}`, conference_name: rep.display_name };
    }
    throw new CommandError(
      'UNKNOWN_QUEUE',
      `No representative with username "${username}" has taken part in session ${state.lsid}.`,
      'queue_id',
    );
  }
  throw new CommandError(
    'UNKNOWN_QUEUE',
    `Invalid queue_id "${queueId}": use general, rep:[id], team:[id]${state === undefined ? '' : ' or rep_username:[username]'}.`,
    'queue_id',
  );
}

type Rep = { user_id: string; username: string; display_name: string };

/** The first representative of the session matching `test`, present ones first. */
function representative(state: SessionState, test: (rep: Rep) => boolean): Rep | undefined {
  const reps = state.members
    .filter((m) => m.member.type === 'representative' && test(m.member as Rep))
    .sort((a, b) => Number(b.present) - Number(a.present));
  return reps[0]?.member as Rep | undefined;
}

/** transfer_session: the session's owner becomes the queue (support_conference_owner_changed). */
export async function transferSession(
  ctx: Ctx,
  lsid: string,
  queueId: string,
  by: CommandBy,
): Promise<SessionRecord> {
  const current = await activeSession(ctx, lsid);
  const owner = ownerOfQueue(queueId, current.state);
  const after = await step(ctx, lsid, { kind: 'owner', owner });
  await audit(ctx, by, 'session.transfer', lsid, current.state.owner, after.state.owner);
  return after;
}

/** terminate_session: the session ends (members depart, then support_conference_end). */
export async function terminateSession(
  ctx: Ctx,
  lsid: string,
  by: CommandBy,
): Promise<SessionRecord> {
  await activeSession(ctx, lsid);
  const after = await step(ctx, lsid, { kind: 'end' });
  await audit(ctx, by, 'session.terminate', lsid, { ended: false }, { ended: true });
  return after;
}
