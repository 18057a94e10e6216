import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EventValidationError } from '../events/index.js';
import type { ApplianceCaller } from '../operations/api-accounts.js';
import type { OperationsContext } from '../operations/context.js';
import {
  type AttributeChanges,
  type CommandBy,
  CommandError,
  getSessionAttributes,
  setSessionAttributes,
  terminateSession,
  transferSession,
} from '../operations/session-commands.js';
import { generateSessionKey } from '../operations/session-keys.js';
import {
  apiInformationXml,
  customAttributesXml,
  sessionKeyXml,
  successXml,
} from './command-answers.js';
import { applianceParams } from './params.js';
import { COMMAND_NS, sendXml, sendXmlError } from './xml-reply.js';

/*
 * The Command API (`/api/command`, `/api/command.ns`): GET or form POST with `action=`. Only
 * the actions that act on what Outbound models are served; the others (join_session,
 * get_logged_in_reps, check_health, …) are refused by name. Errors are `<error>` with HTTP
 * 200, as the appliance answers them.
 */

type Params = Map<string, string>;
type Permission = 'read_only' | 'full';

interface Action {
  /** read_only: get_* and get_api_info; full: everything that changes something. */
  needs: Permission;
  run(ctx: OperationsContext, params: Params, request: FastifyRequest): Promise<string>;
}

const CUSTOM = 'session.custom.';

const ACTIONS: Record<string, Action> = {
  get_api_info: {
    needs: 'read_only',
    run: async (ctx, _params, request) => {
      const caller = callerOf(request);
      return apiInformationXml(ctx.clock(), {
        command: caller.command,
        reportingSupport: caller.reporting,
      });
    },
  },
  get_session_attributes: {
    needs: 'read_only',
    run: async (ctx, params) =>
      customAttributesXml(await getSessionAttributes(ctx, required(params, 'lsid'))),
  },
  set_session_attributes: {
    needs: 'full',
    run: async (ctx, params, request) => {
      const lsid = required(params, 'lsid');
      await setSessionAttributes(ctx, lsid, attributeChanges(params), by(request));
      return successXml('Session attributes were set');
    },
  },
  transfer_session: {
    needs: 'full',
    run: async (ctx, params, request) => {
      const lsid = required(params, 'lsid');
      await transferSession(ctx, lsid, required(params, 'queue_id'), by(request));
      return successXml('Successfully transferred');
    },
  },
  terminate_session: {
    needs: 'full',
    run: async (ctx, params, request) => {
      await terminateSession(ctx, required(params, 'lsid'), by(request));
      return successXml('Successfully terminated');
    },
  },
  generate_session_key: {
    needs: 'full',
    run: async (ctx, params, request) => {
      const type = params.get('type') ?? 'support';
      if (type !== 'support') {
        throw new CommandError(
          'INVALID_PARAMETER',
          `Invalid type "${type}": only support is supported.`,
          'type',
        );
      }
      const key = await generateSessionKey(
        ctx,
        {
          queueId: params.get('queue_id') ?? 'general',
          ...optional('externalKey', externalKeyOfKey(params)),
          ...optional('ttlSeconds', ttlOf(params)),
        },
        by(request),
      );
      return sessionKeyXml({
        shortKey: key.shortKey,
        keyUrl: keyUrl(request, key.shortKey),
        expiresAt: key.expiresAt,
      });
    },
  },
};

export function commandRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  for (const url of ['/api/command', '/api/command.ns']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      config: { access: 'command' },
      handler: (request, reply) => answer(ctx, request, reply),
    });
  }
}

async function answer(
  ctx: OperationsContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const params = applianceParams(request);
  const name = params.get('action');
  if (name === undefined || name === '') return refuse(reply, 'Missing parameter: action.');
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (action === undefined) {
    return refuse(
      reply,
      `Unknown action "${name}". Outbound serves: ${Object.keys(ACTIONS).join(', ')}.`,
    );
  }
  const missing = missingPermission(callerOf(request), action.needs, name);
  if (missing !== undefined) return refuse(reply, missing);
  try {
    return sendXml(reply, await action.run(ctx, params, request));
  } catch (error) {
    if (error instanceof CommandError || error instanceof EventValidationError) {
      return refuse(reply, error.message);
    }
    throw error; // storage and the unexpected: the plugin's error handler
  }
}

const refuse = (reply: FastifyReply, message: string) => sendXmlError(reply, COMMAND_NS, message);

function callerOf(request: FastifyRequest): ApplianceCaller {
  const caller = request.applianceCaller;
  // The access check sets it before any handler runs; its absence is a wiring fault.
  if (caller === undefined) throw new Error('command route reached without a checked caller');
  return caller;
}

/** Why the caller may not run the action, naming what is missing; undefined when it may. */
export function missingPermission(
  caller: ApplianceCaller,
  needs: Permission,
  action: string,
): string | undefined {
  const has = caller.command;
  if (has === 'full' || (has === 'read_only' && needs === 'read_only')) return undefined;
  const who = caller.kind === 'account' ? `API account "${caller.name}"` : `user "${caller.name}"`;
  const wanted = needs === 'full' ? 'full access' : 'read-only or full access';
  return `Permission denied: ${action} needs ${wanted} to the command API; the ${who} has ${has === 'deny' ? 'no access (deny)' : 'read-only access'}.`;
}

/** Who asked, for the audit log. */
function by(request: FastifyRequest): CommandBy {
  const caller = callerOf(request);
  const actor = caller.kind === 'account' ? `api-account:${caller.name}` : `user:${caller.name}`;
  return { actor, log: request.log };
}

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw new CommandError('MISSING_PARAMETER', `Missing parameter: ${name}.`, name);
  }
  return value;
}

/** `session.custom.external_key` and `session.custom.<code_name>` parameters. */
export function attributeChanges(params: Params): AttributeChanges {
  const changes: AttributeChanges = { values: {} };
  for (const [name, value] of params) {
    if (!name.startsWith(CUSTOM)) continue;
    const codeName = name.slice(CUSTOM.length);
    if (codeName === 'external_key') changes.externalKey = value;
    else changes.values[codeName] = value;
  }
  return changes;
}

/** generate_session_key's external key: `session.custom.external_key`, or the older `external_key`. */
function externalKeyOfKey(params: Params): string | undefined {
  const custom = attributeChanges(params);
  const others = Object.keys(custom.values);
  if (others.length > 0) {
    throw new CommandError(
      'INVALID_PARAMETER',
      `${CUSTOM}${others[0]}: generate_session_key here carries the external key only, not other custom attributes.`,
      `${CUSTOM}${others[0]}`,
    );
  }
  return custom.externalKey ?? params.get('external_key');
}

function ttlOf(params: Params): number | undefined {
  const raw = params.get('ttl');
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]{1,12}$/.test(raw)) {
    throw new CommandError('INVALID_PARAMETER', 'ttl must be a whole number of seconds.', 'ttl');
  }
  return Number(raw);
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/**
 * The URL a customer would follow with the key: the appliance's start_session form, on the
 * host the caller reached. Outbound has no customer client to hand out; a session is started
 * with the key through the sessions API.
 */
function keyUrl(request: FastifyRequest, shortKey: string): string {
  const host = request.headers.host ?? 'localhost';
  return `${request.protocol}://${host}/api/start_session?short_key=${shortKey}`;
}
