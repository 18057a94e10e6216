/** The recipient form's Email Contact, Send Email Alert After and Resend Email Alerts fields. */
import { afterEach, describe, expect, it } from 'vitest';
import { signedIn } from '../admin/client.js';
import { startService, type TestService } from '../support/service.js';

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.stop();
  svc = undefined;
});

const errorOf = (page: string, field: string) =>
  new RegExp(`data-field-name="${field}"[\\s\\S]*?class="error"[^>]*>([^<]*)<`).exec(page)?.[1];

describe('recipient form: alert fields', () => {
  it('shows the defaults, saves the fields, and puts errors next to them', async () => {
    svc = await startService();
    const client = await signedIn(svc);
    const blank = await client.get('/admin/recipients/new');
    expect(blank.text).toContain('Email Contact');
    expect(blank.text).toMatch(/name="alertAfterSeconds" value="600"/);
    expect(blank.text).toMatch(/name="resendAlertsSeconds" value="3600"/);

    const fields = {
      enabled: 'on',
      name: 'crm',
      url: 'http://127.0.0.1:9/hook',
      events: ['support_conference_begin'],
      retryIntervalSeconds: '10',
      retryDurationSeconds: '0',
      timeoutSeconds: '10',
    };
    const invalid = await client.post('/admin/recipients/new', {
      ...fields,
      alertContacts: 'ops@example.com\nnot-an-address',
      alertAfterSeconds: 'soon',
      resendAlertsSeconds: '-5',
    });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid.text, 'alertContacts')).toMatch(
      /^Email Contact: &quot;not-an-address&quot; is not an email address/,
    );
    expect(errorOf(invalid.text, 'alertAfterSeconds')).toMatch(
      /^Send Email Alert After must be a number of seconds/,
    );
    expect(errorOf(invalid.text, 'resendAlertsSeconds')).toMatch(/^Resend Email Alerts must be/);
    // What was typed stays in the form.
    expect(invalid.text).toContain('ops@example.com\nnot-an-address</textarea>');
    expect(await svc.service.store.listRecipients()).toEqual([]);

    const created = await client.post('/admin/recipients/new', {
      ...fields,
      alertContacts: 'ops@example.com, dev@example.com',
      alertAfterSeconds: '120',
      resendAlertsSeconds: '0',
    });
    expect(created.status).toBe(303);
    const [recipient] = await svc.service.store.listRecipients();
    expect(recipient).toMatchObject({
      alertContacts: ['ops@example.com', 'dev@example.com'],
      alertAfterMs: 120_000,
      resendAlertsMs: 0,
    });
    const edit = await client.get(`/admin/recipients/${recipient?.id}/edit`);
    expect(edit.text).toContain('ops@example.com\ndev@example.com</textarea>');
    const [entry] = await svc.service.store.admin.listAudit(1);
    expect(entry?.after).toMatchObject({ alertContacts: ['ops@example.com', 'dev@example.com'] });
  });
});
