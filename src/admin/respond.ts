import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NewAuditEntry } from '../store/admin-store.js';
import { recordAudit } from './audit.js';
import type { AdminContext } from './context.js';
import type { SafeHtml } from './html.js';

/** Sends a page; admin pages are never cached (they show live state, sometimes a secret). */
export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page.text);
}

/** Keeps a change made by the signed-in administrator in the audit log and the JSON log. */
export function audit(
  admin: AdminContext,
  request: FastifyRequest,
  entry: Omit<NewAuditEntry, 'at' | 'actor'>,
) {
  return recordAudit(admin.api.store.admin, request.log, {
    ...entry,
    at: admin.api.clock(),
    actor: admin.sessions.of(request).userName,
  });
}
