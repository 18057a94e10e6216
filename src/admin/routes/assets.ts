import type { FastifyInstance } from 'fastify';
import { PUBLIC } from '../../http/access.js';
import { SCRIPT } from '../assets/script.js';
import { STYLE } from '../assets/style.js';

/** An outbound arrow: browsers ask for an icon, and the CSP allows no data: URL. */
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f3a5a"/><path d="M4 12 12 4M6 4h6v6" stroke="#fff" stroke-width="2" fill="none"/></svg>';

/** The style sheet and the script: the only files the pages load (CSP `'self'`). */
export function assetRoutes(app: FastifyInstance): void {
  const serve = (path: string, type: string, body: string) =>
    app.get(path, PUBLIC, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=300').send(body),
    );
  serve('/admin/assets/admin.css', 'text/css; charset=utf-8', STYLE);
  serve('/admin/assets/admin.js', 'text/javascript; charset=utf-8', SCRIPT);
  serve('/admin/assets/icon.svg', 'image/svg+xml', ICON);
}
