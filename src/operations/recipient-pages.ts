import type { Recipient } from '../types.js';
import type { OperationsContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/*
 * The recipients a page at a time (GET /api/v1/recipients), in id order (the order the list
 * always had). Keyset on the id: a recipient added while a caller pages has a higher id and
 * comes on a later page; none is skipped or repeated. Recipients are few (they are all read
 * and cut here, as the list always read them).
 */

type Ctx = Pick<OperationsContext, 'store'>;

const LISTING = 'recipients';

export async function listRecipientPage(
  ctx: Ctx,
  limit: number,
  cursor?: string,
): Promise<{ recipients: Recipient[]; next: string | null }> {
  const afterId = cursor === undefined ? 0 : (decodeCursor(cursor, LISTING, {}, 1)[0] as number);
  const after = (await ctx.store.listRecipients()).filter((r) => r.id > afterId);
  const recipients = after.slice(0, limit);
  const last = recipients.at(-1);
  return {
    recipients,
    next: after.length > limit && last !== undefined ? encodeCursor(LISTING, {}, [last.id]) : null,
  };
}
