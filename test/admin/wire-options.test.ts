/**
 * The recipient form's "Wire compatibility" fieldset: a new recipient's form shows the options
 * off (the guide's body); adding and editing save what is ticked and chosen, an unticked box
 * turns its option off, a post without the fieldset leaves them as they are, a survey name
 * other than guide or rep is refused next to its field, and the change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';
import { type AdminClient, signedIn } from './client.js';

let svc: TestService;
let client: AdminClient;

beforeAll(async () => {
  svc = await startService();
  client = await signedIn(svc);
});
afterAll(async () => {
  await svc?.stop();
});

const BASE: [string, string][] = [
  ['enabled', 'on'],
  ['tlsVerify', 'on'],
  ['url', 'http://127.0.0.1:9/snow'],
  ['events', 'support_conference_end'],
  ['retryIntervalSeconds', '10'],
  ['retryDurationSeconds', '0'],
  ['timeoutSeconds', '10'],
];

/** The fieldset's controls as the page shows them. */
function shown(page: string) {
  const fieldset = /<fieldset class="wire"[\s\S]*?<\/fieldset>/.exec(page)?.[0] ?? '';
  return {
    fieldset,
    survey: /name="repSurveyEventName" value="(\w+)" checked/.exec(fieldset)?.[1],
    sendApplianceId: /name="sendApplianceId" value="on" checked/.test(fieldset),
    sendCustomFields: /name="sendCustomFields" value="on" checked/.test(fieldset),
  };
}

const options = async (id: number) => {
  const r = await svc.service.store.getRecipient(id);
  return {
    repSurveyEventName: r?.repSurveyEventName,
    sendApplianceId: r?.sendApplianceId,
    sendCustomFields: r?.sendCustomFields,
  };
};

describe('the recipient form: wire compatibility', () => {
  it('shows the options off for a new recipient, each with the receiver it is for', async () => {
    const form = shown((await client.get('/admin/recipients/new')).text);
    expect(form.fieldset).toContain('<legend>Wire compatibility</legend>');
    expect(form).toMatchObject({
      survey: 'guide',
      sendApplianceId: false,
      sendCustomFields: false,
    });
    expect(form.fieldset).toContain('support_conference_rep_exit_survey_completed');
    expect(form.fieldset).toContain('appliance_id');
    expect(form.fieldset.match(/class="hint"/g)?.length).toBe(3);
  });

  it('adds a recipient with the options chosen, and audits them', async () => {
    const created = await client.postMultipart('/admin/recipients/new', [
      ...BASE,
      ['name', 'servicenow'],
      ['repSurveyEventName', 'rep'],
      ['sendApplianceId', 'on'],
      ['sendCustomFields', 'on'],
    ]);
    expect(created.status, created.text).toBe(303);
    const recipient = await svc.service.store.findRecipientByName('servicenow');
    expect(await options(recipient!.id)).toEqual({
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: true,
    });
    const edit = shown((await client.get(`/admin/recipients/${recipient!.id}/edit`)).text);
    expect(edit).toMatchObject({ survey: 'rep', sendApplianceId: true, sendCustomFields: true });
    const page = await client.get(`/admin/recipients/${recipient!.id}`);
    expect(page.text).toMatch(/data-field="wireOptions">[^<]*sends appliance_id/);
    const [entry] = await svc.service.store.admin.listAudit(1);
    expect(entry).toMatchObject({ action: 'recipient.create' });
    expect(entry!.after).toMatchObject({
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: true,
    });
  });

  it('edits them: an unticked box turns its option off; a post without the fieldset keeps them', async () => {
    const made = await svc.api('POST', '/api/v1/recipients', {
      name: 'edited',
      url: 'http://127.0.0.1:9/e',
    });
    const id = made.body.id as number;
    await client.get(`/admin/recipients/${id}/edit`);
    const on = await client.postMultipart(`/admin/recipients/${id}/edit`, [
      ...BASE,
      ['name', 'edited'],
      ['repSurveyEventName', 'rep'],
      ['sendApplianceId', 'on'],
    ]);
    expect(on.status, on.text).toBe(303);
    expect(await options(id)).toEqual({
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: false,
    });
    const [entry] = await svc.service.store.admin.listAudit(1);
    expect(entry).toMatchObject({ action: 'recipient.update' });
    expect(entry!.before).toMatchObject({ repSurveyEventName: 'guide', sendApplianceId: false });
    expect(entry!.after).toMatchObject({ repSurveyEventName: 'rep', sendApplianceId: true });

    // A form of an older page, without the fieldset: the options stay as they are.
    await client.get(`/admin/recipients/${id}/edit`);
    const without = await client.postMultipart(`/admin/recipients/${id}/edit`, [
      ...BASE,
      ['name', 'edited'],
    ]);
    expect(without.status, without.text).toBe(303);
    expect(await options(id)).toMatchObject({ repSurveyEventName: 'rep', sendApplianceId: true });

    await client.get(`/admin/recipients/${id}/edit`);
    const off = await client.postMultipart(`/admin/recipients/${id}/edit`, [
      ...BASE,
      ['name', 'edited'],
      ['repSurveyEventName', 'guide'],
      ['sendCustomFields', 'on'],
    ]);
    expect(off.status, off.text).toBe(303);
    expect(await options(id)).toEqual({
      repSurveyEventName: 'guide',
      sendApplianceId: false,
      sendCustomFields: true,
    });
  });

  it('refuses a survey name other than guide or rep next to its field, keeping what was typed', async () => {
    await client.get('/admin/recipients/new');
    const refused = await client.postMultipart('/admin/recipients/new', [
      ...BASE,
      ['name', 'bad-survey'],
      ['repSurveyEventName', 'representative'],
      ['sendCustomFields', 'on'],
    ]);
    expect(refused.status).toBe(400);
    const error = /data-field-name="repSurveyEventName"[\s\S]*?class="error"[^>]*>([^<]*)</.exec(
      refused.text,
    )?.[1];
    expect(error).toMatch(
      /^Representative exit survey event name must be &quot;guide&quot; or &quot;rep&quot;/,
    );
    expect(shown(refused.text).sendCustomFields).toBe(true);
    expect(await svc.service.store.findRecipientByName('bad-survey')).toBeUndefined();
  });
});
