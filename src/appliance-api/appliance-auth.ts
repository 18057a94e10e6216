import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SignIn } from '../credentials/sign-in.js';
import {
  type ApplianceCaller,
  authenticateBearer,
  legacyApiAuthEnabled,
  userApiCaller,
} from '../operations/api-accounts.js';
import type { OperationsContext } from '../operations/context.js';
import { ApplianceParamError, applianceParams } from './params.js';
import { COMMAND_NS, REPORTING_NS, sendXml, sendXmlError, XML_DECLARATION } from './xml-reply.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called an appliance API route (access `reporting` or `command`), once checked. */
    applianceCaller?: ApplianceCaller;
  }
}

export interface ApplianceAuthOptions {
  ctx: OperationsContext;
  signIn: SignIn;
}

/** The namespace of the route's API (its declared access, never the URL). */
export function namespaceOf(request: FastifyRequest): string {
  return request.routeOptions.config.access === 'command' ? COMMAND_NS : REPORTING_NS;
}

const NO_CREDENTIALS =
  'Authentication required: send Authorization: Bearer <access token> (POST /oauth2/token with an API account’s client id and secret).';
const BAD_TOKEN =
  'The access token is invalid, expired or revoked: request a new one from /oauth2/token.';
const LEGACY_OFF =
  'Login failed: username/password parameters are not accepted here (legacy API authentication is turned off). Use an API account’s OAuth2 access token.';
const NO_API_GRANT =
  'This user is not allowed to use the reporting or command API (outbound user grant NAME --reporting-api / --command-api).';

/**
 * Defines the `reporting` and `command` access checks. A bearer token is checked in onRequest,
 * before the body is read. Without an Authorization header the decision waits for the body:
 * legacy `username`/`password` parameters may be in it. Either way it is made before any
 * handler runs, and a route only ever sees `request.applianceCaller` set.
 */
export function defineApplianceAccess(app: FastifyInstance, options: ApplianceAuthOptions): void {
  for (const access of ['reporting', 'command'] as const) {
    app.accessControl.define(access, (request, reply) => bearerStep(options, request, reply));
    app.accessControl.defineAfterBody(access, (request, reply) =>
      legacyStep(options, request, reply),
    );
  }
}

async function bearerStep(
  { ctx }: ApplianceAuthOptions,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const header = request.headers.authorization;
  if (header === undefined) return undefined; // legacy parameters, maybe: legacyStep decides
  // Clients send the token_type back as given, title-cased or in lower case.
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (match === null) return unauthorized(request, reply, NO_CREDENTIALS, 'Bearer');
  const caller = await authenticateBearer(ctx, match[1] as string);
  // Not counted as a failed attempt, unlike secrets and passwords: a token is 256 random bits
  // looked up by its hash, so guessing gets nowhere, while an integration whose token just
  // expired must not find its fresh one refused.
  if (caller === undefined) {
    return unauthorized(request, reply, BAD_TOKEN, 'Bearer error="invalid_token"');
  }
  return admit(request, reply, caller);
}

async function legacyStep(
  { ctx, signIn }: ApplianceAuthOptions,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  if (request.applianceCaller !== undefined) return undefined;
  // A request that got past onRequest without a caller carried no Authorization header.
  let params: Map<string, string>;
  try {
    params = applianceParams(request);
  } catch (error) {
    // Unreadable parameters carry no credentials either: the caller is told both.
    if (!(error instanceof ApplianceParamError)) throw error;
    return unauthorized(request, reply, `${NO_CREDENTIALS} ${error.message}`, 'Bearer');
  }
  const username = params.get('username');
  const password = params.get('password');
  if (username === undefined && password === undefined) {
    return unauthorized(request, reply, NO_CREDENTIALS, 'Bearer');
  }
  // Refused before any lookup: the answer is the same whoever the name is.
  if (!(await legacyApiAuthEnabled(ctx, ctx.legacyApiAuth === true))) {
    return unauthorized(request, reply, LEGACY_OFF, 'Bearer');
  }
  // The admin /login's counting: guesses through the API wait exactly as guesses there do.
  const result = await signIn.attempt((username ?? '').trim(), password ?? '', request.ip);
  if (!result.ok) {
    request.log.warn(
      { username, ip: request.ip, status: result.status, route: request.routeOptions.url },
      'appliance API legacy sign-in refused',
    );
    if (result.status === 429) {
      reply.header('retry-after', String(Math.ceil(result.retryAfterMs / 1000)));
      return sendXmlError(reply, namespaceOf(request), result.message, 429);
    }
    return loginFailed(reply);
  }
  const caller = await userApiCaller(ctx, result.user);
  if (caller === undefined) return sendXmlError(reply, namespaceOf(request), NO_API_GRANT, 403);
  return admit(request, reply, caller);
}

/**
 * Lets the caller in if it may use this API at all: the Reporting API needs the reporting
 * permission, the Command API anything but `deny` (read-only callers are held to the `get_*`
 * actions by the command route). 403 otherwise, naming what is missing.
 */
function admit(
  request: FastifyRequest,
  reply: FastifyReply,
  caller: ApplianceCaller,
): FastifyReply | undefined {
  const api = request.routeOptions.config.access === 'command' ? 'command' : 'reporting';
  const allowed = api === 'command' ? caller.command !== 'deny' : caller.reporting;
  if (!allowed) {
    const who =
      caller.kind === 'account' ? `API account "${caller.name}"` : `user "${caller.name}"`;
    const how =
      caller.kind === 'account'
        ? api === 'command'
          ? 'give it the Command API (full or read-only) in API Configuration'
          : 'give it access to support session reports in API Configuration'
        : `outbound user grant ${caller.name} --${api}-api`;
    return sendXmlError(
      reply,
      namespaceOf(request),
      `Permission denied: ${who} is not allowed to use the ${api === 'command' ? 'Command' : 'Reporting'} API (${how}).`,
      403,
    );
  }
  request.applianceCaller = caller;
  return undefined;
}

function unauthorized(
  request: FastifyRequest,
  reply: FastifyReply,
  message: string,
  challenge: string,
): FastifyReply {
  reply.header('www-authenticate', challenge);
  return sendXmlError(reply, namespaceOf(request), message, 401);
}

/**
 * Wrong legacy credentials, as the appliance words them, with HTTP 200: clients of the legacy
 * API look for `<error>Login failed</error>` in the body (one matches that very text, so no
 * namespace attribute is added), and some drop any answer that is not 200 unread.
 */
function loginFailed(reply: FastifyReply): FastifyReply {
  return sendXml(reply, `${XML_DECLARATION}<error>Login failed</error>\n`, 200);
}
