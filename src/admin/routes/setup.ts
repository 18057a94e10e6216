import type { FastifyInstance } from 'fastify';
import { hashPassword, passwordProblem } from '../../credentials/password.js';
import { PUBLIC } from '../../http/access.js';
import { recordAudit } from '../audit.js';
import type { AdminContext } from '../context.js';
import { formOf } from '../form.js';
import { sha256 } from '../tokens.js';
import { userNameProblem } from '../user-name.js';
import { errorPage } from '../views/error.js';
import { setupPage } from '../views/login.js';

const USED =
  'This setup link is not valid: it was used already, or it is not the one printed by the last start. Sign in at /login, or create an administrator with `outbound user add NAME`.';

/**
 * The one-time link printed at the first start. Its token is itself the form's CSRF
 * protection: another site cannot know it.
 */
export function setupRoutes(app: FastifyInstance, admin: AdminContext): void {
  const store = admin.api.store.admin;
  const html = 'text/html; charset=utf-8';

  app.get('/setup', PUBLIC, async (request, reply) => {
    const token = (request.query as { token?: unknown }).token;
    if (typeof token !== 'string' || !(await store.hasSetupToken(sha256(token))))
      return reply.status(404).type(html).send(errorPage(404, USED).text);
    // The token must not leak to other sites through the Referer (see security-headers.ts).
    return reply.type(html).header('cache-control', 'no-store').send(setupPage({ token }).text);
  });

  app.post('/setup', PUBLIC, async (request, reply) => {
    const form = formOf(request);
    const token = form.get('token') ?? '';
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    if (!(await store.hasSetupToken(sha256(token))))
      return reply.status(404).type(html).send(errorPage(404, USED).text);
    const errors: { username?: string; password?: string } = {};
    const nameProblem = userNameProblem(username);
    if (nameProblem) errors.username = nameProblem;
    const problem =
      passwordProblem(password) ??
      (password === form.get('password2') ? undefined : 'the two passwords differ');
    if (problem) errors.password = problem;
    if (errors.username || errors.password)
      return reply.status(400).type(html).send(setupPage({ token, username, errors }).text);
    const user = await store.useSetupToken(
      sha256(token),
      username,
      await hashPassword(password),
      admin.api.clock(),
    );
    if (user === undefined) {
      const taken = await store.findUser(username);
      return reply
        .status(taken ? 400 : 404)
        .type(html)
        .send(
          taken
            ? setupPage({ token, username, errors: { username: 'this name is taken' } }).text
            : errorPage(404, USED).text,
        );
    }
    await recordAudit(store, request.log, {
      at: admin.api.clock(),
      actor: user.name,
      action: 'user.setup',
      target: `user ${user.name}`,
      before: null,
      after: { name: user.name },
    });
    await admin.sessions.start(request, reply, user.id);
    return reply.redirect('/admin/recipients', 303);
  });
}
