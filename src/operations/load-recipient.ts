import { NotFoundError } from '../errors.js';
import type { Recipient } from '../types.js';
import type { OperationsContext } from './context.js';

/** The recipient id of a route's `:id`; a malformed one is a recipient that does not exist. */
export function recipientId(params: unknown): number {
  const raw = (params as { id?: string }).id ?? '';
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new NotFoundError(`no recipient with id "${raw}"`);
  return id;
}

/** The recipient a route's `:id` names, or a 404. */
export async function loadRecipient(
  ctx: Pick<OperationsContext, 'store'>,
  params: unknown,
): Promise<Recipient> {
  const id = recipientId(params);
  const recipient = await ctx.store.getRecipient(id);
  if (recipient === undefined) throw new NotFoundError(`no recipient with id ${id}`);
  return recipient;
}
