import { type AuditLog, recordAudit } from '../audit/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { encodeEvent, validateEvent } from '../events/index.js';
import { newEventUid } from '../ids.js';
import { NameTakenError } from '../store/errors.js';
import type { NewEvent, Recipient, RecipientInput, RecipientPatch } from '../types.js';
import type { OperationsContext } from './context.js';
import { recipientSnapshot, recipientTarget } from './recipient-audit.js';

/*
 * What an operator can do to a recipient, shared by the API routes and the admin interface, so
 * that both keep the dispatcher in step with the store the same way.
 */

type Ctx = Pick<OperationsContext, 'store' | 'dispatcher' | 'ingest' | 'clock'>;

/**
 * Who asked, for the audit log: given by the API routes (`api:<token name>`). The admin pages
 * leave it out and audit in their routes, with their own wording.
 */
export interface ChangedBy {
  actor: string;
  log: AuditLog;
}

async function audit(
  ctx: Ctx,
  by: ChangedBy | undefined,
  action: string,
  recipient: Pick<Recipient, 'id' | 'name'>,
  before: unknown,
  after: unknown,
): Promise<void> {
  if (by === undefined) return;
  await recordAudit(ctx.store.admin, by.log, {
    at: ctx.clock(),
    actor: by.actor,
    action,
    target: recipientTarget(recipient),
    before,
    after,
  });
}

/** The recipient a change is about, for its audit entry (only read when auditing). */
async function auditedRecipient(ctx: Ctx, by: ChangedBy | undefined, id: number) {
  if (by === undefined) return undefined;
  return ctx.store.getRecipient(id);
}

/**
 * The one place a taken name becomes what callers are shown: 409 naming the field `name`, with
 * the generic code they have been told so far.
 */
const nameTaken = (name: string | undefined, cause: unknown) =>
  new ConflictError(`a recipient named "${name}" already exists`, { field: 'name', cause });

const noRecipient = (id: number) => new NotFoundError(`no recipient with id ${id}`);

export async function createRecipient(
  ctx: Ctx,
  input: RecipientInput,
  by?: ChangedBy,
): Promise<Recipient> {
  let created: Recipient;
  try {
    created = await ctx.store.createRecipient(input, ctx.clock());
  } catch (error) {
    if (error instanceof NameTakenError) throw nameTaken(input.name, error);
    throw error;
  }
  await ctx.dispatcher.refresh(created.id);
  await audit(ctx, by, 'recipient.create', created, null, recipientSnapshot(created));
  return created;
}

export async function updateRecipient(
  ctx: Ctx,
  id: number,
  patch: RecipientPatch,
  by?: ChangedBy,
): Promise<Recipient> {
  const before = await auditedRecipient(ctx, by, id);
  let updated: Recipient | undefined;
  try {
    updated = await ctx.store.updateRecipient(id, patch, ctx.clock());
  } catch (error) {
    if (error instanceof NameTakenError) throw nameTaken(patch.name, error);
    throw error;
  }
  if (updated === undefined) throw noRecipient(id);
  await ctx.dispatcher.refresh(updated.id);
  if (before !== undefined) {
    await audit(
      ctx,
      by,
      'recipient.update',
      updated,
      recipientSnapshot(before),
      recipientSnapshot(updated),
    );
  }
  return updated;
}

/** Deletes the recipient with its queue and history once nothing of it is in flight. */
export async function deleteRecipient(ctx: Ctx, id: number, by?: ChangedBy): Promise<void> {
  const before = await auditedRecipient(ctx, by, id);
  // A request in flight is cut, not waited for (a hung receiver would hold the delete up).
  const deleted = await ctx.dispatcher.withLaneIdle(id, () => ctx.store.deleteRecipient(id), {
    cutInFlight: true,
  });
  if (!deleted) throw noRecipient(id);
  await ctx.dispatcher.refresh(id);
  if (before !== undefined)
    await audit(ctx, by, 'recipient.delete', before, recipientSnapshot(before), null);
}

export async function setPaused(
  ctx: Ctx,
  id: number,
  paused: boolean,
  by?: ChangedBy,
): Promise<Recipient> {
  const updated = await updateRecipient(ctx, id, { paused });
  await audit(ctx, by, paused ? 'recipient.pause' : 'recipient.resume', updated, null, {
    paused: updated.paused,
  });
  return updated;
}

/** Makes the head due now; false when the queue is empty. */
export async function retryNow(ctx: Ctx, id: number, by?: ChangedBy): Promise<boolean> {
  const retried = await ctx.dispatcher.withLaneIdle(id, () => ctx.store.retryNow(id, ctx.clock()));
  const recipient = await auditedRecipient(ctx, by, id);
  if (recipient !== undefined)
    await audit(ctx, by, 'recipient.retry', recipient, null, { retried });
  return retried;
}

/**
 * Sets the head aside as failed; returns its seq. A request in flight is cut rather than waited
 * for: setting aside is how an operator gets past a head whose receiver hangs.
 */
export async function setHeadAside(ctx: Ctx, id: number, by?: ChangedBy): Promise<number> {
  const seq = await ctx.dispatcher.withLaneIdle(
    id,
    async () => {
      const [head] = await ctx.store.pendingDeliveries(id, 1);
      if (head === undefined) return null;
      await ctx.store.setAside(id, head.seq, ctx.clock());
      ctx.dispatcher.setAsideByOperator(id, head);
      return head.seq;
    },
    { cutInFlight: true },
  );
  if (seq === null)
    throw new ConflictError('the queue is empty: there is no head event to set aside');
  const recipient = await auditedRecipient(ctx, by, id);
  if (recipient !== undefined)
    await audit(ctx, by, 'recipient.set-aside', recipient, null, { seq });
  return seq;
}

/** Queues failed deliveries again at their place (all, or only `seqs`); returns how many. */
export async function replayFailed(
  ctx: Ctx,
  id: number,
  seqs?: number[],
  by?: ChangedBy,
): Promise<number> {
  const replayed = await ctx.dispatcher.withLaneIdle(id, () =>
    ctx.store.replayFailed(id, ctx.clock(), seqs),
  );
  const recipient = await auditedRecipient(ctx, by, id);
  if (recipient !== undefined) {
    await audit(ctx, by, 'recipient.replay', recipient, null, {
      ...(seqs === undefined ? {} : { seqs }),
      replayed,
    });
  }
  return replayed;
}

export async function replayRange(
  ctx: Ctx,
  id: number,
  from: number,
  to: number,
  by?: ChangedBy,
): Promise<number> {
  const replayed = await ctx.dispatcher.withLaneIdle(id, () =>
    ctx.store.replayRange(id, from, to, ctx.clock()),
  );
  const recipient = await auditedRecipient(ctx, by, id);
  if (recipient !== undefined) {
    await audit(ctx, by, 'recipient.replay-range', recipient, null, {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      replayed,
    });
  }
  return replayed;
}

/**
 * Queues a test event for this recipient only, behind what is already queued for it: `event`,
 * or by default a support_conference_begin with lsid "outbound-test". Returns its uid.
 */
export async function sendTestEvent(
  ctx: Ctx,
  recipient: Recipient,
  event?: NewEvent,
  by?: ChangedBy,
): Promise<string> {
  if (!recipient.enabled) {
    throw new ConflictError('the recipient is disabled: enable it first', {
      code: 'OUTBOUND_RECIPIENT_DISABLED',
    });
  }
  const now = ctx.clock();
  const chosen = event ?? { uid: newEventUid(now), ...testEvent(now) };
  await ctx.ingest.submit([{ ...chosen, onlyRecipientId: recipient.id }]);
  await audit(ctx, by, 'recipient.test', recipient, null, { eventId: chosen.uid });
  return chosen.uid;
}

function testEvent(now: number) {
  const event = validateEvent({
    event: 'support_conference_begin',
    version: 1,
    timestamp: Math.floor(now / 1000),
    lsid: 'outbound-test',
  });
  return {
    name: event.event,
    lsid: event.lsid,
    externalKey: null,
    timestamp: event.timestamp,
    body: encodeEvent(event),
  };
}
