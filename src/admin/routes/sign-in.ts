import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC } from '../../http/access.js';
import type { AdminContext } from '../context.js';
import { clearCookie, readCookie, setCookie } from '../cookies.js';
import { formOf } from '../form.js';
import { randomToken, sameSecret } from '../tokens.js';
import { errorPage } from '../views/error.js';
import { loginPage } from '../views/login.js';

/**
 * Before sign-in there is no session to tie a CSRF token to: the sign-in form carries a random
 * token that must equal this cookie's (double submit), so that another site cannot sign a
 * browser in under the attacker's account.
 */
const LOGIN_COOKIE = 'outbound_login';

/** Where to go after sign-in: only a page of ours, never another site. */
export function nextPage(value: unknown): string {
  return typeof value === 'string' && /^\/admin\/[A-Za-z0-9/_-]*$/.test(value)
    ? value
    : '/admin/recipients';
}

/** A browser's request says where it came from; programs (curl) send neither header. */
const fromBrowser = (request: FastifyRequest) =>
  request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined;

function showLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  options: { username?: string; error?: string; notice?: string } = {},
) {
  const csrf = randomToken();
  setCookie(request, reply, LOGIN_COOKIE, csrf, 3600);
  const given = (request.query as { next?: unknown }).next;
  const next = given === undefined ? undefined : nextPage(given);
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(loginPage({ csrf, next, ...options }).text);
}

export function signInRoutes(app: FastifyInstance, admin: AdminContext): void {
  app.get('/login', PUBLIC, async (request, reply) => {
    if ((await admin.sessions.find(request)) !== undefined)
      return reply.redirect(nextPage((request.query as { next?: unknown }).next), 303);
    const signedOut = (request.query as { signedOut?: string }).signedOut !== undefined;
    return showLogin(request, reply, 200, signedOut ? { notice: 'You are signed out.' } : {});
  });

  app.post('/login', PUBLIC, async (request, reply) => {
    const form = formOf(request);
    const given = form.get('csrf');
    const expected = readCookie(request, LOGIN_COOKIE);
    const tokenOk = expected !== undefined && expected !== '' && sameSecret(given, expected);
    // The contract's programs post only username and password; browsers must send the token.
    if (!tokenOk && (given !== undefined || fromBrowser(request))) {
      return reply
        .status(403)
        .type('text/html; charset=utf-8')
        .send(
          errorPage(
            403,
            'The sign-in form expired or did not come from this site (CSRF token missing or wrong). Open /login again and sign in.',
          ).text,
        );
    }
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    if (username === '' || password === '') {
      return showLogin(request, reply, 400, {
        username,
        error: username === '' ? 'Enter your user name.' : 'Enter your password.',
      });
    }
    const result = await admin.signIn.attempt(username, password, request.ip);
    if (!result.ok) {
      request.log.warn(
        { username, ip: request.ip, status: result.status },
        'admin sign-in refused',
      );
      if (result.status === 429)
        reply.header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)));
      return showLogin(request, reply, result.status, { username, error: result.message });
    }
    await admin.sessions.start(request, reply, result.user.id);
    clearCookie(request, reply, LOGIN_COOKIE);
    request.log.info({ username, ip: request.ip }, 'admin signed in');
    return reply.redirect(nextPage((request.query as { next?: unknown }).next), 303);
  });
}

/** Sign-out: a POST with the session's CSRF token (plugin.ts checks it). */
export function signOutRoute(app: FastifyInstance, admin: AdminContext): void {
  app.post('/logout', async (request, reply) => {
    await admin.sessions.end(request, reply);
    return reply.redirect('/login?signedOut=1', 303);
  });
}
