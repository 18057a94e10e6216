import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SIGN_IN_DEFAULTS, SignIn, type SignInPolicy } from '../credentials/sign-in.js';
import { OutboundError } from '../errors.js';
import { defaultAccess, PUBLIC } from '../http/access.js';
import type { OperationsContext } from '../operations/context.js';
import { isStorageUnavailable, storageFaultOf } from '../store/storage-health.js';
import type { AdminContext } from './context.js';
import { DeliveryRate } from './delivery-rate.js';
import { formOf, parseMultipart } from './form.js';
import { RecipientStream } from './recipient-stream.js';
import { sendPage } from './respond.js';
import { apiConfigurationRoutes } from './routes/api-configuration.js';
import { assetRoutes } from './routes/assets.js';
import { auditRoutes } from './routes/audit.js';
import { emailRecipientRoutes } from './routes/email-recipients.js';
import { eventRoutes } from './routes/events.js';
import { recipientRoutes } from './routes/recipient.js';
import { recipientListRoutes } from './routes/recipients.js';
import { reportRoutes } from './routes/reports.js';
import { settingsRoutes } from './routes/settings.js';
import { setupRoutes } from './routes/setup.js';
import { signInRoutes, signOutRoute } from './routes/sign-in.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes } from './routes/users.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { sameSecret } from './tokens.js';
import { errorPage } from './views/error.js';
import { WebSessions } from './web-sessions.js';

export interface AdminOptions {
  ctx: OperationsContext;
  bodyLimitBytes: number;
  signIn?: SignInPolicy;
  /** The failure counting shared with the appliance APIs' legacy sign-in (server.ts). */
  sharedSignIn?: SignIn;
}

/** Pages render errors as pages; a field error of the API's validation reads the same. */
function sendErrorPage(admin: AdminContext) {
  return async (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    let status = 500;
    let message = 'Something went wrong; the server log has the details.';
    const fault = isStorageUnavailable(error) ? undefined : storageFaultOf(error);
    if (isStorageUnavailable(error) || fault !== undefined) {
      // Nothing was stored: say so, as the API's 503 does, rather than "something went wrong".
      status = 503;
      message = `Nothing was saved: ${fault === undefined ? error.message : `storage is failing: ${fault}`}. Try again once the storage is back (see /readyz).`;
      request.log.error({ err: error }, 'admin request refused: storage unavailable');
    } else if (error instanceof OutboundError) {
      status = error.status;
      message = error.message;
    } else if (
      'statusCode' in error &&
      typeof error.statusCode === 'number' &&
      error.statusCode < 500
    ) {
      status = error.statusCode;
      message = status === 413 ? 'The upload is too large.' : error.message;
    } else {
      request.log.error({ err: error }, 'admin request failed');
    }
    const session = await admin.sessions.find(request).catch(() => undefined);
    return sendPage(reply, errorPage(status, message, session), status);
  };
}

/**
 * The administration interface: /login, /setup, and the signed-in pages under /admin. Its
 * hooks apply to its own routes only (Fastify encapsulation), not to the API.
 */
export async function adminPlugin(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { ctx } = options;
  const sessions = new WebSessions(ctx.store.admin, ctx.clock);
  const rate = new DeliveryRate(ctx.dispatcher.metrics);
  const admin: AdminContext = {
    rate,
    api: ctx,
    sessions,
    signIn:
      options.sharedSignIn ??
      new SignIn(ctx.store.admin, ctx.clock, options.signIn ?? SIGN_IN_DEFAULTS),
    stream: new RecipientStream(ctx, rate, sessions, (error) =>
      app.log.error({ err: error }, 'admin stream failed'),
    ),
  };

  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes },
    async (request: FastifyRequest, body: Buffer) =>
      parseMultipart(body, request.headers['content-type'] ?? ''),
  );
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  // Open event streams would keep the server from closing.
  app.addHook('preClose', async () => admin.stream.closeAll());
  app.setErrorHandler(sendErrorPage(admin));

  // Routes declare `access: 'session'` (every route of the signed-in scope below): pages
  // send to /login, the stream and other requests get a refusal.
  app.accessControl.define('session', async (request, reply) => {
    if ((await sessions.find(request)) !== undefined) return undefined;
    const route = request.routeOptions.url ?? '';
    if (request.method === 'GET' && route !== '/admin/recipients/stream') {
      const path = request.url.split('?')[0] ?? '';
      return reply.redirect(`/login?next=${encodeURIComponent(path)}`, 303);
    }
    const status = request.method === 'GET' ? 401 : 403;
    return sendPage(
      reply,
      errorPage(status, 'Sign in first: your session has ended or was never started.'),
      status,
    );
  });

  app.get('/', PUBLIC, async (_request, reply) => reply.redirect('/admin/recipients', 303));
  assetRoutes(app);
  signInRoutes(app, admin);
  setupRoutes(app, admin);

  await app.register(async (signedIn) => {
    defaultAccess(signedIn, 'session');
    // Every POST carries the session's synchronizer token: a form another site makes the
    // browser send has no way to know it.
    signedIn.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST') return;
      const session = sessions.of(request);
      if (!sameSecret(formOf(request).get('csrf'), session.csrfToken)) {
        request.log.warn(
          { url: request.url, user: session.userName },
          'admin POST without a valid CSRF token',
        );
        return sendPage(
          reply,
          errorPage(
            403,
            'This form expired or did not come from this site (CSRF token missing or wrong). Reload the page and try again.',
            session,
          ),
          403,
        );
      }
    });
    signedIn.get('/admin', async (_request, reply) => reply.redirect('/admin/recipients', 303));
    signOutRoute(signedIn, admin);
    recipientListRoutes(signedIn, admin);
    recipientRoutes(signedIn, admin);
    eventRoutes(signedIn, admin);
    reportRoutes(signedIn, admin);
    tokenRoutes(signedIn, admin);
    apiConfigurationRoutes(signedIn, admin);
    userRoutes(signedIn, admin);
    auditRoutes(signedIn, admin);
    settingsRoutes(signedIn, admin);
    emailRecipientRoutes(signedIn, admin);
  });
}
