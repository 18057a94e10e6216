import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../http/http-error.js';
import { hashToken, newToken } from '../../operations/tokens.js';
import type { AdminContext } from '../context.js';
import { formOf } from '../form.js';
import { audit, sendPage } from '../respond.js';
import { tokensPage } from '../views/tokens.js';

/** API tokens: created here are shown once, on the answer to the POST; only hashes are kept. */
export function tokenRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;

  app.get('/admin/tokens', async (request, reply) => {
    const revoked = (request.query as { notice?: string }).notice === 'revoked';
    return sendPage(
      reply,
      tokensPage(sessions.of(request), await api.store.listTokens(), {
        ...(revoked ? { notice: 'The token was revoked.' } : {}),
      }),
    );
  });

  app.post('/admin/tokens', async (request, reply) => {
    const session = sessions.of(request);
    const name = (formOf(request).get('name') ?? '').trim();
    const problem =
      name === ''
        ? 'Name: say what the token is for'
        : name.length > 200
          ? 'Name: at most 200 characters'
          : undefined;
    if (problem !== undefined)
      return sendPage(
        reply,
        tokensPage(session, await api.store.listTokens(), { nameError: problem }),
        400,
      );
    const token = newToken();
    const created = await api.store.createToken(name, hashToken(token), api.clock());
    await audit(admin, request, {
      action: 'token.create',
      target: `token ${created.id} (${name})`,
      before: null,
      after: { id: created.id, name },
    });
    return sendPage(
      reply,
      tokensPage(session, await api.store.listTokens(), { created: { name, token } }),
    );
  });

  app.post('/admin/tokens/:id/revoke', async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
    const token = (await api.store.listTokens()).find((t) => t.id === id);
    if (token === undefined || !(await api.store.revokeToken(id, api.clock())))
      throw new HttpError(404, `no active API token with id ${raw}`);
    // Revoked through this process: it stops working at once, not after the cache's seconds.
    api.auth.forget();
    await audit(admin, request, {
      action: 'token.revoke',
      target: `token ${id} (${token.name})`,
      before: { revoked: false },
      after: { revoked: true },
    });
    return reply.redirect('/admin/tokens?notice=revoked', 303);
  });
}
