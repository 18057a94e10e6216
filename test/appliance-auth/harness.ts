/**
 * A real HTTP server on 127.0.0.1 with the appliance plugin over a real store, plus probe
 * routes that declare `access: 'reporting'` / `'command'` and answer with the caller the
 * access check admitted: what every appliance route gets, without depending on their handlers.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { parseFormBody } from '../../src/api/body-parsers.js';
import { applianceParams } from '../../src/appliance-api/params.js';
import { appliancePlugin, sendApplianceError } from '../../src/appliance-api/plugin.js';
import { NO_LOG } from '../../src/audit/index.js';
import {
  CredentialThrottle,
  FAILED_ATTEMPT_DEFAULTS,
} from '../../src/credentials/credential-throttle.js';
import { SIGN_IN_DEFAULTS, SignIn } from '../../src/credentials/sign-in.js';
import { AccessControl } from '../../src/http/access.js';
import type { ChangedBy } from '../../src/operations/api-accounts.js';
import type { OperationsContext } from '../../src/operations/context.js';
import type { Store } from '../../src/store/store.js';

export const BY: ChangedBy = { actor: 'test', log: NO_LOG };

export interface Harness {
  url: string;
  app: FastifyInstance;
  signIn: SignIn;
  /** The OAuth2 token endpoint's count of failed client authentications. */
  clientThrottle: CredentialThrottle;
  /** The clock the service reads; move it forward to expire tokens. */
  clock: { now: number };
  ctx: OperationsContext;
  /** Counts requests that reached a probe handler. */
  reached: { count: number };
  close(): Promise<void>;
}

export async function startHarness(
  store: Store,
  /** `clientThrottleKeys`: the keys each of the token endpoint's counts keeps at most. */
  options: { legacyApiAuth?: boolean; clientThrottleKeys?: number } = {},
): Promise<Harness> {
  const clock = { now: Date.parse('2026-12-03T12:00:00Z') };
  const ctx = {
    store,
    clock: () => clock.now,
    legacyApiAuth: options.legacyApiAuth ?? false,
  } as unknown as OperationsContext;
  const app = Fastify({ logger: false });
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    parseFormBody,
  );
  const access = new AccessControl();
  access.install(app);
  app.decorate('accessControl', access);
  const signIn = new SignIn(store.admin, ctx.clock, SIGN_IN_DEFAULTS);
  const clientThrottle = new CredentialThrottle(
    FAILED_ATTEMPT_DEFAULTS,
    options.clientThrottleKeys,
  );
  await app.register(appliancePlugin, { ctx, signIn, clientThrottle });
  const reached = { count: 0 };
  // In a scope with the appliance routes' error handler, as the real routes are.
  await app.register(async (scope) => {
    scope.setErrorHandler(sendApplianceError);
    for (const kind of ['reporting', 'command'] as const) {
      scope.route({
        method: ['GET', 'POST'],
        url: `/probe/${kind}`,
        config: { access: kind },
        handler: async (request) => {
          reached.count++;
          return {
            caller: request.applianceCaller ?? null,
            params: Object.fromEntries(applianceParams(request)),
          };
        },
      });
    }
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, signIn, clientThrottle, clock, ctx, reached, close: () => app.close() };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** POST /oauth2/token as a client would. */
export async function tokenRequest(
  url: string,
  init: { authorization?: string; body?: string; contentType?: string } = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': init.contentType ?? 'application/x-www-form-urlencoded',
      ...(init.authorization === undefined ? {} : { authorization: init.authorization }),
    },
    body: init.body ?? 'grant_type=client_credentials',
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

export async function getToken(url: string, id: string, secret: string): Promise<string> {
  const answer = await tokenRequest(url, { authorization: basic(id, secret) });
  if (answer.status !== 200)
    throw new Error(`token: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json.access_token as string;
}

/** A call of a probe route; `body` is sent as a form. */
export async function call(
  url: string,
  path: string,
  init: { bearer?: string; authorization?: string; body?: string; method?: string } = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const authorization =
    init.authorization ?? (init.bearer === undefined ? undefined : `Bearer ${init.bearer}`);
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    body: init.body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
