import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isEmailAddress } from '../../alerts/email-address.js';
import type { MailSettings } from '../../alerts/mail-settings.js';
import {
  type MailSettingsFields,
  maskedMailSettings,
  parseMailSettings,
} from '../../alerts/relay-settings.js';
import type { AdminContext } from '../context.js';
import { formOf } from '../form.js';
import { audit, sendPage } from '../respond.js';
import { type SettingsPageOptions, settingsPage } from '../views/settings.js';

/** The stored relay as the form shows it; never the password. */
function fieldsOf(settings: MailSettings | undefined): MailSettingsFields {
  return {
    host: settings?.host ?? '',
    port: settings === undefined ? '' : String(settings.port),
    security: settings?.security ?? 'starttls',
    tlsVerify: settings?.tlsVerify ?? true,
    username: settings?.username ?? '',
    password: '',
    from: settings?.from ?? '',
  };
}

function postedFields(request: FastifyRequest): MailSettingsFields {
  const form = formOf(request);
  return {
    host: form.get('host') ?? '',
    port: form.get('port') ?? '',
    security: form.get('security') ?? '',
    tlsVerify: form.has('tlsVerify'),
    username: form.get('username') ?? '',
    password: form.get('password') ?? '',
    from: form.get('from') ?? '',
  };
}

/** Settings → Email: the SMTP relay, saved with an audit entry (password masked). */
export function settingsRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;
  const { mail } = api;

  const show = async (options: Partial<SettingsPageOptions> = {}): Promise<SettingsPageOptions> => {
    const stored = await mail.settings();
    return {
      fields: fieldsOf(stored),
      passwordSet: stored?.password != null,
      status: await mail.status(),
      installation: api.installation?.(),
      ...options,
    };
  };

  app.get('/admin/settings', async (request, reply) => {
    const saved = (request.query as { notice?: string }).notice === 'saved';
    const options = await show(saved ? { notice: 'The email settings were saved.' } : {});
    return sendPage(reply, settingsPage(sessions.of(request), options));
  });

  app.post('/admin/settings/email', async (request, reply) => {
    const fields = postedFields(request);
    const before = await mail.settings();
    const parsed = parseMailSettings(fields, before);
    if (!parsed.ok) {
      const options = await show({
        fields: { ...fields, password: '' },
        errors: parsed.errors,
      });
      return sendPage(reply, settingsPage(sessions.of(request), options), 400);
    }
    await mail.save(parsed.value, api.clock());
    const changedPassword = parsed.value.password !== (before?.password ?? null);
    await audit(admin, request, {
      action: 'settings.email.update',
      target: 'settings email',
      before: maskedMailSettings(before),
      after: { ...maskedMailSettings(parsed.value), passwordChanged: changedPassword },
    });
    return reply.redirect('/admin/settings?notice=saved', 303);
  });

  app.post('/admin/settings/email/test', async (request, reply) => {
    const to = (formOf(request).get('to') ?? '').trim();
    const session = sessions.of(request);
    if (!isEmailAddress(to)) {
      const error = 'Send a test email to: an email address, e.g. you@example.com';
      return sendPage(reply, settingsPage(session, await show({ test: { to, error } })), 400);
    }
    try {
      await mail.send({
        to: [to],
        subject: '[Outbound] Test email',
        text: `This is a test email from Outbound, sent by ${session.userName} from Settings → Email.\nError alerts will reach you through this relay.\n`,
      });
    } catch (error) {
      const message = `Not sent: ${(error as Error).message}`;
      return sendPage(
        reply,
        settingsPage(session, await show({ test: { to, error: message } })),
        502,
      );
    }
    return sendPage(
      reply,
      settingsPage(
        session,
        await show({ test: { to }, notice: `A test email was sent to ${to}.` }),
      ),
    );
  });
}
