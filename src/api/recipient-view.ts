import type { OperationsContext } from '../operations/context.js';
import type { Recipient } from '../types.js';
import { recipientJson } from './recipient-json.js';

/** The recipient as the API shows it, with its lane's status. */
export async function showRecipient(
  ctx: Pick<OperationsContext, 'store' | 'dispatcher' | 'clock'>,
  recipient: Recipient,
) {
  const stats = (await ctx.store.laneStats()).find((s) => s.recipientId === recipient.id);
  return recipientJson(recipient, stats, ctx.dispatcher.laneStatus(recipient.id), ctx.clock());
}
