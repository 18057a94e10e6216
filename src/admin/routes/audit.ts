import type { FastifyInstance } from 'fastify';
import type { AdminContext } from '../context.js';
import { sendPage } from '../respond.js';
import { auditPage } from '../views/audit.js';

const PAGE = 100;

export function auditRoutes(app: FastifyInstance, admin: AdminContext): void {
  app.get('/admin/audit', async (request, reply) => {
    const raw = (request.query as { before?: string }).before;
    const before = raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    const entries = await admin.api.store.admin.listAudit(PAGE + 1, before);
    const more = entries.length > PAGE ? entries[PAGE - 1]?.id : undefined;
    return sendPage(reply, auditPage(admin.sessions.of(request), entries.slice(0, PAGE), more));
  });
}
