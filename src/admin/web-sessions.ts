import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminStore, WebSession } from '../store/admin-store.js';
import { clearCookie, readCookie, setCookie } from './cookies.js';
import { randomToken, sha256 } from './tokens.js';

export const SESSION_COOKIE = 'outbound_session';

/**
 * Signed-in browser sessions. The cookie holds a random token; the store keeps only its hash,
 * with the session's CSRF token and a fixed expiry (no sliding renewal: a stolen cookie dies
 * with its session).
 */
export class WebSessions {
  private readonly current = new WeakMap<FastifyRequest, WebSession>();

  constructor(
    private readonly store: AdminStore,
    private readonly clock: () => number,
    readonly ttlMs = 12 * 3600_000,
  ) {}

  async start(request: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
    const token = randomToken();
    const now = this.clock();
    await this.store.createSession({
      hash: sha256(token),
      userId,
      csrfToken: randomToken(),
      createdAt: now,
      expiresAt: now + this.ttlMs,
    });
    setCookie(request, reply, SESSION_COOKIE, token, Math.floor(this.ttlMs / 1000));
    // Now and then, rather than on a timer: nothing runs when nobody signs in.
    void this.store.deleteExpiredSessions(now).catch(() => {});
  }

  /** The request's live session, looked up once per request. */
  async find(request: FastifyRequest): Promise<WebSession | undefined> {
    const known = this.current.get(request);
    if (known !== undefined) return known;
    const token = readCookie(request, SESSION_COOKIE);
    if (token === undefined || token === '') return undefined;
    const session = await this.store.findSession(sha256(token), this.clock());
    if (session !== undefined) this.current.set(request, session);
    return session;
  }

  /** Still valid (not signed out, not expired, user not removed)? */
  async alive(session: WebSession): Promise<boolean> {
    return (await this.store.findSession(session.hash, this.clock())) !== undefined;
  }

  /** The session found for this request earlier; throws when there is none. */
  of(request: FastifyRequest): WebSession {
    const session = this.current.get(request);
    if (session === undefined) throw new Error('no session: route outside the signed-in scope');
    return session;
  }

  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const session = await this.find(request);
    if (session !== undefined) await this.store.deleteSession(session.hash);
    clearCookie(request, reply, SESSION_COOKIE);
  }
}
