/**
 * An email recipient honours the wire options as an HTTP one does: its mail lists the
 * variables the same options would put in the body (the survey's deployed name, appliance_id,
 * the session's custom fields), decided when the mail is sent.
 */
import { afterEach, expect, it } from 'vitest';
import { INSTALLATION_ID_KEY } from '../../src/operations/installation.js';
import { recipientInput } from '../store/fixtures.js';
import { startService } from '../support/service.js';
import { TestSmtpServer } from '../support/smtp.js';
import { waitUntil } from '../support/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

it('mails the representative survey with appliance_id and the custom fields', async () => {
  const smtp = await TestSmtpServer.start();
  cleanups.push(() => smtp.close());
  const svc = await startService();
  cleanups.push(() => svc.stop());
  await svc.service.mail.save(
    {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      tlsVerify: true,
      username: '',
      password: null,
      from: 'outbound@example.com',
    } as never,
    Date.now(),
  );
  await svc.service.store.createRecipient(
    recipientInput({
      kind: 'email',
      url: 'mailto:reports@example.com',
      events: ['support_conference_representative_exit_survey_completed'],
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: true,
    }),
    Date.now(),
  );
  const defined = await svc.api('POST', '/api/v1/custom-fields', {
    code_name: 'ticket_id',
    display_name: 'Ticket',
  });
  expect(defined.status).toBe(201);
  const lsid = (await svc.api('POST', '/api/v1/sessions', {})).body.lsid as string;
  const s = `/api/v1/sessions/${lsid}`;
  for (const [path, body] of [
    [
      `${s}/members`,
      { type: 'representative', display_name: 'Ann', user_id: '12', username: 'ann' },
    ],
    [`${s}/end`, {}],
    [`${s}/surveys/representative`, {}],
  ] as const) {
    if (path.endsWith('/end')) {
      expect((await svc.api('PUT', `${s}/attributes`, { ticket_id: 'INC-9' })).status).toBe(200);
    }
    const res = await svc.api('POST', path, body);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }
  await waitUntil(() => smtp.mails.length === 1, 'one mail');
  const id = await svc.service.store.settings.get(INSTALLATION_ID_KEY);
  const text = smtp.mails[0]?.text ?? '';
  expect(smtp.mails[0]?.subject).toBe(`Representative exit survey completed (session ${lsid})`);
  expect(text).toContain('Event: support_conference_rep_exit_survey_completed');
  expect(text).toContain(`Appliance id: ${id}`);
  expect(text).toContain('ticket_id: INC-9');
  // The extras come after the guide's variables, in body order.
  expect(text.indexOf(`Session id (lsid): ${lsid}`)).toBeLessThan(text.indexOf('Appliance id'));
  expect(text.indexOf('Appliance id')).toBeLessThan(text.indexOf('ticket_id'));
}, 30_000);
