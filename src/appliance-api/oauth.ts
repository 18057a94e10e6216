import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CredentialThrottle, waitText } from '../credentials/credential-throttle.js';
import { decodeFormBody, EventValidationError } from '../events/index.js';
import { PUBLIC } from '../http/access.js';
import { issueAccessToken } from '../operations/api-accounts.js';
import type { OperationsContext } from '../operations/context.js';

/** An error of RFC 6749 §5.2: `{"error": code, "error_description": text}`. */
class OAuthError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'slow_down',
    message: string,
    readonly status = 400,
    /** Seconds the client must wait, for a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

function sendOAuth(reply: FastifyReply, status: number, body: object): FastifyReply {
  // RFC 6749 §5.1: tokens and their errors are never cached.
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

function sendOAuthError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof OAuthError) {
    // §5.2: a failed client authentication is a 401 inviting the scheme the client may use.
    if (error.status === 401) reply.header('www-authenticate', 'Basic realm="oauth2"');
    if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
    return sendOAuth(reply, error.status, { error: error.code, error_description: error.message });
  }
  const status =
    'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'OAuth2 token request failed');
    return sendOAuth(reply, 500, {
      error: 'server_error',
      error_description: 'internal error; see the server log',
    });
  }
  // The body parsers' refusals (not a form, not UTF-8, too large).
  return sendOAuth(reply, 400, { error: 'invalid_request', error_description: error.message });
}

/** The form's fields; a field given twice is refused (§3.2: "MUST NOT be included more than once"). */
function formOf(body: unknown): Map<string, string> {
  if (body === undefined || body === null) return new Map();
  if (typeof body !== 'string') {
    throw new OAuthError(
      'invalid_request',
      'the body must be application/x-www-form-urlencoded (grant_type=client_credentials)',
    );
  }
  let pairs: Array<[string, string]>;
  try {
    pairs = decodeFormBody(body);
  } catch (error) {
    if (error instanceof EventValidationError)
      throw new OAuthError('invalid_request', error.message);
    throw error;
  }
  const form = new Map<string, string>();
  for (const [name, value] of pairs) {
    if (form.has(name)) throw new OAuthError('invalid_request', `${name} is given more than once`);
    form.set(name, value);
  }
  return form;
}

/** §2.3.1: the id and secret are form-encoded before base64; ours never need it, some send it. */
function formDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/** The client's id and secret, from HTTP Basic or from the body (never both, §2.3). */
function clientCredentials(
  header: string | undefined,
  form: Map<string, string>,
): { clientId: string; clientSecret: string } {
  const inBody = form.has('client_id') || form.has('client_secret');
  if (header !== undefined) {
    const match = /^Basic +([A-Za-z0-9+/=_-]*) *$/i.exec(header);
    if (match === null) {
      throw new OAuthError(
        'invalid_client',
        'client authentication must use HTTP Basic (client id and secret)',
        401,
      );
    }
    if (inBody) {
      throw new OAuthError(
        'invalid_request',
        'send the client credentials either with HTTP Basic or in the body, not both',
      );
    }
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new OAuthError('invalid_client', 'HTTP Basic must carry client_id:client_secret', 401);
    }
    return {
      clientId: formDecoded(decoded.slice(0, colon)),
      clientSecret: formDecoded(decoded.slice(colon + 1)),
    };
  }
  if (!inBody) {
    throw new OAuthError(
      'invalid_client',
      'client authentication required: HTTP Basic with the API account’s client id and secret',
      401,
    );
  }
  return { clientId: form.get('client_id') ?? '', clientSecret: form.get('client_secret') ?? '' };
}

/**
 * `POST /oauth2/token`: the client credentials grant of RFC 6749 §4.4, as the appliance
 * serves it to its API accounts. Its own errors, in the RFC's JSON shape, not the API's.
 * Failed client authentications slow down whoever made them, as failed admin sign-ins do
 * (`throttle`, keyed by client id and address): a 256-bit secret is beyond any rate of
 * guessing, but a guesser is refused cheaply, named in the log, and gets nothing checked.
 */
export function oauthRoutes(
  app: FastifyInstance,
  ctx: OperationsContext,
  throttle: CredentialThrottle,
): void {
  app.register(async (scope) => {
    scope.setErrorHandler(sendOAuthError);
    scope.post('/oauth2/token', PUBLIC, async (request, reply) => {
      const form = formOf(request.body);
      const grantType = form.get('grant_type');
      if (grantType === undefined || grantType === '') {
        throw new OAuthError('invalid_request', 'grant_type is required (client_credentials)');
      }
      const { clientId, clientSecret } = clientCredentials(request.headers.authorization, form);
      // Before the client is checked: no token is ever issued for another grant.
      if (grantType !== 'client_credentials') {
        throw new OAuthError(
          'unsupported_grant_type',
          `grant_type ${grantType.slice(0, 64)} is not supported: use client_credentials`,
        );
      }
      const now = ctx.clock();
      const wait = throttle.wait(clientId, request.ip, now);
      // Refused before the secret is checked: a guess made while waiting tells nothing.
      if (wait > 0) {
        refused(request, clientId, 429);
        throw new OAuthError(
          'slow_down',
          `too many failed client authentications: try again in ${waitText(wait)}`,
          429,
          Math.ceil(wait / 1000),
        );
      }
      const issued = await issueAccessToken(ctx, clientId, clientSecret);
      if (issued === undefined) {
        throttle.fail(clientId, request.ip, now);
        refused(request, clientId, 401);
        throw new OAuthError(
          'invalid_client',
          'unknown client, wrong secret, or a disabled account',
          401,
        );
      }
      throttle.succeed(clientId, request.ip);
      return sendOAuth(reply, 200, {
        access_token: issued.accessToken,
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
      });
    });
  });
}

/** As the admin's refused sign-ins are logged: operators see who guesses, and from where. */
function refused(request: FastifyRequest, clientId: string, status: 401 | 429): void {
  request.log.warn(
    { clientId: clientId.slice(0, 64), ip: request.ip, status },
    'OAuth2 client refused',
  );
}
