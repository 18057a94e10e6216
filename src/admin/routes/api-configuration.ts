import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OutboundError } from '../../errors.js';
import {
  type ChangedBy,
  commandPermission,
  createApiAccount,
  legacyApiAuthSetting,
  listApiAccounts,
  liveTokenCounts,
  regenerateApiAccountSecret,
  removeApiAccount,
  setApiAccountEnabled,
  setApiAccountPermissions,
  setLegacyApiAuth,
  setUserApiGrants,
} from '../../operations/api-accounts.js';
import {
  addCustomField,
  listCustomFields,
  removeCustomField,
} from '../../operations/custom-fields.js';
import type { AdminContext } from '../context.js';
import { formOf } from '../form.js';
import { sendPage } from '../respond.js';
import { type ApiConfigurationView, apiConfigurationPage } from '../views/api-configuration.js';

const BASE = '/admin/api-configuration';

const NOTICES: Record<string, string> = {
  saved: 'Saved.',
  disabled: 'The API account was disabled: its tokens no longer work.',
  enabled: 'The API account was enabled.',
  removed: 'The API account was removed.',
  legacy: 'Saved the legacy username/password setting.',
  grants: 'Saved the administrator’s API access.',
  'field-added': 'The custom field was added.',
  'field-removed': 'The custom field was removed.',
};

/**
 * Management → API Configuration: API accounts (a secret is shown once, on the answer that
 * made it), administrators' legacy access, the legacy switch, custom field definitions. Every
 * change goes through src/operations/ (audited, actor: the signed-in administrator).
 */
export function apiConfigurationRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;
  const by = (request: FastifyRequest): ChangedBy => ({
    actor: sessions.of(request).userName,
    log: request.log,
  });

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<ApiConfigurationView> = {},
    status = 200,
  ) {
    const view: ApiConfigurationView = {
      accounts: await listApiAccounts(api),
      liveTokens: await liveTokenCounts(api),
      users: await api.store.apiAccounts.listUserGrants(),
      legacy: {
        setting: await legacyApiAuthSetting(api),
        allowedByEnv: api.legacyApiAuth === true,
      },
      customFields: await listCustomFields(api),
      ...extra,
    };
    return sendPage(reply, apiConfigurationPage(sessions.of(request), view), status);
  }

  /** A refusal of the input (bad name, taken name) shown beside its form; anything else thrown. */
  const refusal = (error: unknown): OutboundError | undefined =>
    error instanceof OutboundError && (error.status === 400 || error.status === 409)
      ? error
      : undefined;

  const nameOf = (request: FastifyRequest) => (request.params as { name: string }).name;
  const done = (reply: FastifyReply, notice: string) =>
    reply.redirect(`${BASE}?notice=${notice}`, 303);

  app.get(BASE, async (request, reply) => {
    const notice = NOTICES[(request.query as { notice?: string }).notice ?? ''];
    return show(request, reply, notice === undefined ? {} : { notice });
  });

  app.post(`${BASE}/accounts`, async (request, reply) => {
    const form = formOf(request);
    try {
      const { account, clientSecret } = await createApiAccount(
        api,
        {
          name: (form.get('name') ?? '').trim(),
          reporting: form.get('reporting') === 'on',
          command: commandPermission(form.get('command') ?? 'deny'),
        },
        by(request),
      );
      return show(request, reply, {
        secret: { name: account.name, clientId: account.clientId, clientSecret },
      });
    } catch (error) {
      const refused = refusal(error);
      if (refused === undefined) throw error;
      return show(request, reply, { errors: { account: refused.message } }, refused.status);
    }
  });

  app.post(`${BASE}/accounts/:name/permissions`, async (request, reply) => {
    const form = formOf(request);
    await setApiAccountPermissions(
      api,
      nameOf(request),
      {
        reporting: form.get('reporting') === 'on',
        command: commandPermission(form.get('command') ?? 'deny'),
      },
      by(request),
    );
    return done(reply, 'saved');
  });

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post(`${BASE}/accounts/:name/${verb}`, async (request, reply) => {
      await setApiAccountEnabled(api, nameOf(request), enabled, by(request));
      return done(reply, `${verb}d`);
    });
  }

  app.post(`${BASE}/accounts/:name/regenerate-secret`, async (request, reply) => {
    const { account, clientSecret } = await regenerateApiAccountSecret(
      api,
      nameOf(request),
      by(request),
    );
    return show(request, reply, {
      secret: { name: account.name, clientId: account.clientId, clientSecret },
      notice: 'A new secret was made: the old one and every token issued with it no longer work.',
    });
  });

  app.post(`${BASE}/accounts/:name/remove`, async (request, reply) => {
    await removeApiAccount(api, nameOf(request), by(request));
    return done(reply, 'removed');
  });

  app.post(`${BASE}/legacy`, async (request, reply) => {
    await setLegacyApiAuth(api, formOf(request).get('enabled') === 'on', by(request));
    return done(reply, 'legacy');
  });

  app.post(`${BASE}/users/:name/grants`, async (request, reply) => {
    const form = formOf(request);
    await setUserApiGrants(
      api,
      nameOf(request),
      { reporting: form.get('reporting_api') === 'on', command: form.get('command_api') === 'on' },
      by(request),
    );
    return done(reply, 'grants');
  });

  app.post(`${BASE}/custom-fields`, async (request, reply) => {
    const form = formOf(request);
    try {
      await addCustomField(
        api,
        {
          code_name: (form.get('code_name') ?? '').trim(),
          display_name: form.get('display_name') ?? '',
        },
        by(request),
      );
    } catch (error) {
      const refused = refusal(error);
      if (refused === undefined) throw error;
      return show(request, reply, { errors: { customField: refused.message } }, refused.status);
    }
    return done(reply, 'field-added');
  });

  app.post(`${BASE}/custom-fields/:code/remove`, async (request, reply) => {
    await removeCustomField(api, (request.params as { code: string }).code, by(request));
    return done(reply, 'field-removed');
  });
}
