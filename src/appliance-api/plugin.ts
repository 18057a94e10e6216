import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CredentialThrottle } from '../credentials/credential-throttle.js';
import type { SignIn } from '../credentials/sign-in.js';
import type { OperationsContext } from '../operations/context.js';
import { isStorageUnavailable, storageFaultOf } from '../store/storage-health.js';
import { defineApplianceAccess, namespaceOf } from './appliance-auth.js';
import { commandRoutes } from './command.js';
import { oauthRoutes } from './oauth.js';
import { ApplianceParamError } from './params.js';
import { reportingRoutes } from './reporting.js';
import { sendXmlError } from './xml-reply.js';

export interface ApplianceOptions {
  ctx: OperationsContext;
  /** The admin /login's failure counting: legacy username/password attempts count there too. */
  signIn: SignIn;
  /** Failed OAuth2 client authentications, by client id and address (tests pass their own). */
  clientThrottle?: CredentialThrottle;
}

/**
 * What integrations written for the appliance call back: the Reporting API (`/api/reporting`,
 * `/api/reporting.ns`), the Command API (`/api/command`, `/api/command.ns`) and the OAuth2
 * token endpoint (`POST /oauth2/token`). Routes declare `access: 'reporting'` or `'command'`
 * (the checks are defined in appliance-auth.ts); their errors leave as XML `<error>`.
 * A new appliance route: a file in src/appliance-api/, registered below.
 */
export async function appliancePlugin(
  app: FastifyInstance,
  options: ApplianceOptions,
): Promise<void> {
  defineApplianceAccess(app, options);
  oauthRoutes(app, options.ctx, options.clientThrottle ?? new CredentialThrottle());
  app.register(async (api) => {
    // The appliance never took multipart: refused here with its XML error, not a JSON 415.
    api.addContentTypeParser('multipart/form-data', async () => {
      throw new ApplianceParamError(
        'Multipart bodies are not supported: send application/x-www-form-urlencoded or a query string.',
        415,
      );
    });
    api.setErrorHandler(sendApplianceError);
    // Registrations of the appliance routes (one line each):
    commandRoutes(api, options.ctx);
    reportingRoutes(api, options.ctx);
  });
}

/** Errors of the appliance routes as the appliance gives them: an XML `<error>`. */
export function sendApplianceError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const namespace = namespaceOf(request);
  if (error instanceof ApplianceParamError) {
    return sendXmlError(reply, namespace, error.message, error.status);
  }
  const fault = isStorageUnavailable(error) ? undefined : storageFaultOf(error);
  if (isStorageUnavailable(error) || fault !== undefined) {
    request.log.error({ err: error }, 'appliance API request refused: storage unavailable');
    reply.header('retry-after', '5');
    const cause = fault === undefined ? error.message : `storage is failing: ${fault}`;
    return sendXmlError(reply, namespace, `Service unavailable: ${cause}`, 503);
  }
  if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
    const message = error.statusCode === 413 ? 'The request body is too large.' : error.message;
    return sendXmlError(reply, namespace, message, error.statusCode);
  }
  if ('status' in error && typeof error.status === 'number' && error.status < 500) {
    return sendXmlError(reply, namespace, error.message, error.status);
  }
  request.log.error({ err: error }, 'appliance API request failed');
  return sendXmlError(reply, namespace, 'Internal error; see the server log.', 500);
}
