import type { AdminStore, AuditEntry, NewAuditEntry } from '../store/admin-store.js';
import { maskSecrets } from './mask.js';

/** The one call the audit makes on a logger (Fastify's pino logger has it). */
export interface AuditLog {
  info(fields: object, message: string): void;
}

/** For the command line, which has no JSON log: the audit log is where its changes are kept. */
export const NO_LOG: AuditLog = { info: () => {} };

/**
 * Keeps one change in the audit log and writes it to the JSON log, with secrets masked in
 * both. Every channel comes here: the admin pages, the API and the command line.
 */
export async function recordAudit(
  store: AdminStore,
  log: AuditLog,
  entry: NewAuditEntry,
): Promise<AuditEntry> {
  const masked = {
    ...entry,
    before: maskSecrets(entry.before ?? null),
    after: maskSecrets(entry.after ?? null),
  };
  const stored = await store.appendAudit(masked);
  log.info(
    {
      audit: {
        id: stored.id,
        actor: stored.actor,
        action: stored.action,
        target: stored.target,
        before: stored.before,
        after: stored.after,
      },
    },
    `audit: ${stored.actor} ${stored.action} ${stored.target}`,
  );
  return stored;
}
