import { cliActor, NO_LOG, recordAudit } from '../audit/index.js';
import type { Store } from '../store/store.js';

/**
 * Keeps a change made at the command line in the audit log, next to the admin pages' and the
 * API's, as `cli:<OS user>` (secrets masked as everywhere).
 */
export async function auditCliChange(
  store: Store,
  action: string,
  target: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await recordAudit(store.admin, NO_LOG, {
    at: Date.now(),
    actor: cliActor(),
    action,
    target,
    before,
    after,
  });
}
