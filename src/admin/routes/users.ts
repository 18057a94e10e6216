import type { FastifyInstance } from 'fastify';
import { hashPassword, passwordProblem } from '../../credentials/password.js';
import { HttpError } from '../../http/http-error.js';
import type { AdminContext } from '../context.js';
import { formOf } from '../form.js';
import { audit, sendPage } from '../respond.js';
import { userNameProblem } from '../user-name.js';
import { usersPage } from '../views/users.js';

const NOTICES: Record<string, string> = {
  added: 'The administrator was added.',
  removed: 'The administrator was removed; their sessions ended.',
};

/** Administrators: the same as `outbound user add|list|remove`, audited. */
export function userRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;
  const store = api.store.admin;
  const list = () => store.listUsers();

  app.get('/admin/users', async (request, reply) => {
    const notice = NOTICES[(request.query as { notice?: string }).notice ?? ''];
    return sendPage(reply, usersPage(sessions.of(request), await list(), { notice }));
  });

  app.post('/admin/users', async (request, reply) => {
    const session = sessions.of(request);
    const form = formOf(request);
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    const errors = {
      username: userNameProblem(username),
      password:
        passwordProblem(password) ??
        (password === form.get('password2') ? undefined : 'the two passwords differ'),
    };
    const refuse = (status: number) =>
      list().then((users) =>
        sendPage(reply, usersPage(session, users, { username, errors }), status),
      );
    if (errors.username || errors.password) return refuse(400);
    const created = await store.createUser(username, await hashPassword(password), api.clock());
    if (created === undefined) {
      errors.username = `a user named "${username}" already exists`;
      return refuse(409);
    }
    await audit(admin, request, {
      action: 'user.add',
      target: `user ${username}`,
      before: null,
      after: { name: username },
    });
    return reply.redirect('/admin/users?notice=added', 303);
  });

  app.post('/admin/users/:name/remove', async (request, reply) => {
    const { name } = request.params as { name: string };
    if ((await store.findUser(name)) === undefined)
      throw new HttpError(404, `no administrator named "${name}"`);
    // Nobody could sign in any more (a new setup link needs a restart).
    if ((await store.countUsers()) <= 1)
      throw new HttpError(409, 'the last administrator cannot be removed: add another one first');
    const self = sessions.of(request).userName === name;
    await audit(admin, request, {
      action: 'user.remove',
      target: `user ${name}`,
      before: { name },
      after: null,
    });
    await store.deleteUser(name);
    return reply.redirect(self ? '/login' : '/admin/users?notice=removed', 303);
  });
}
