/**
 * What a session records for the reports, through the sessions API on a real service: member
 * details and times, chat, notes, files, survey answers, custom attributes, detail events and
 * lseq; each new field validated with an error naming it; the schema-1 events unchanged (the
 * report-only steps emit none). Custom field definitions through /api/v1/custom-fields.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';

const services: TestService[] = [];
const receivers: TestReceiver[] = [];

afterEach(async () => {
  for (const s of services.splice(0).reverse()) await s.stop();
  for (const r of receivers.splice(0)) await r.close();
});

async function setUp() {
  const svc = await startService();
  services.push(svc);
  const receiver = await TestReceiver.start();
  receivers.push(receiver);
  const res = await svc.api('POST', '/api/v1/recipients', { name: 'r', url: receiver.url });
  expect(res.status).toBe(201);
  return { svc, receiver };
}

async function ok(svc: TestService, status: number, method: string, path: string, body?: unknown) {
  const res = await svc.api(method, `/api/v1${path}`, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

const ANN = { type: 'representative', display_name: 'Ann Lee', user_id: '12', username: 'ann' };
const ZOE = { type: 'customer', display_name: 'Zoë' };
const ZOE_DETAILS = {
  username: 'zoe',
  public_ip: '[2001:db8::1]:51515',
  private_ip: '10.0.0.5',
  hostname: 'PC-ZOE',
  os: 'Windows 11',
  info: { name: 'Zoë M.', company: 'ACME', company_code: 'A1', issue: 'Printer', details: 'jam\n' },
};
const ANN_DETAILS = {
  public_display_name: 'Ann',
  private_display_name: 'Ann L. (Tier 2)',
  os: 'macOS',
};
/** Text XML 1.0 cannot hold (NUL, a C0 control, U+FFFE) and an emoji: kept as given. */
const ODD = 'a\u0000b\u0007c\uFFFE😀 <&>';

describe('sessions record what the reports show', () => {
  it('a whole session: details, chat, notes, files, attributes, surveys; events unchanged', async () => {
    const { svc, receiver } = await setUp();
    await ok(svc, 201, 'POST', '/custom-fields', { code_name: 'ticket', display_name: 'Ticket' });
    await ok(svc, 201, 'POST', '/custom-fields', { code_name: 'asset', display_name: 'Asset' });
    const first = await ok(svc, 201, 'POST', '/sessions', {});
    const { lsid } = await ok(svc, 201, 'POST', '/sessions', {});
    const s = `/sessions/${lsid}`;
    expect(await ok(svc, 201, 'POST', `${s}/members`, { ...ZOE, details: ZOE_DETAILS })).toEqual({
      memberId: 1,
    });
    await ok(svc, 201, 'POST', `${s}/members`, { ...ANN, details: ANN_DETAILS });
    await ok(svc, 200, 'POST', `${s}/owner`, {
      conference_id: 'rep:12',
      conference_name: 'Ann Lee',
    });
    await ok(svc, 200, 'POST', `${s}/chat`, { from: 2, to: 1, body: 'Hello Zoë' });
    await ok(svc, 200, 'POST', `${s}/chat`, { from: 1, body: ODD });
    await ok(svc, 200, 'POST', `${s}/notes`, { by: 2, body: 'Rebooted the spooler' });
    await ok(svc, 200, 'POST', `${s}/files`, {
      by: 2,
      direction: 'upload',
      filename: 'fix.ps1',
      filesize: 2048,
    });
    await ok(svc, 200, 'POST', `${s}/files`, {
      by: 1,
      direction: 'download',
      filename: 'log ü.txt',
      filesize: 0,
    });
    await ok(svc, 200, 'PUT', `${s}/attributes`, { ticket: 'INC-1', asset: 'A-9' });
    await ok(svc, 200, 'PUT', `${s}/attributes`, { asset: '' });
    await ok(svc, 200, 'PUT', `${s}/external-key`, { external_key: 'K-1' });
    await ok(svc, 200, 'POST', `${s}/end`);
    await ok(svc, 200, 'POST', `${s}/surveys/customer`, {
      answers: [
        { name: 'rating', value: '5' },
        { name: 'comments', value: 'Great\u0001!' },
      ],
    });
    const view = await ok(svc, 200, 'GET', s);

    // The schema-1 events are those the session's member, owner and end steps always gave.
    const names = [
      'begin',
      'owner_changed',
      'begin',
      'owner_changed',
      'member_added',
      'member_added',
      'owner_changed',
      'member_departed',
      'member_departed',
      'end',
      'customer_exit_survey_completed',
    ];
    await waitUntil(() => receiver.accepted.length >= names.length, 'the events');
    expect(
      receiver.accepted.map((b) =>
        new URLSearchParams(b).get('event')?.replace('support_conference_', ''),
      ),
    ).toEqual(names);
    expect(receiver.accepted.slice(4).every((b) => b.includes(lsid))).toBe(true);

    expect(view.lseq).toBe((await ok(svc, 200, 'GET', `/sessions/${first.lsid}`)).lseq + 1);
    expect(view.members).toEqual([
      expect.objectContaining({ memberId: 1, gsnumber: 1, ...ZOE, details: ZOE_DETAILS }),
      expect.objectContaining({ memberId: 2, gsnumber: 2, ...ANN, details: ANN_DETAILS }),
    ]);
    for (const m of view.members) {
      expect(Date.parse(m.leftAt) - Date.parse(m.joinedAt)).toBe(m.seconds_involved * 1000);
    }
    expect(view).toMatchObject({
      external_key: 'K-1',
      primary_customer: 1,
      primary_rep: 2,
      custom_attributes: { ticket: 'INC-1' },
      file_counts: { transfers: 2, moves: 0, deletes: 0 },
      survey_answers: {
        customer: [
          { name: 'rating', value: '5' },
          { name: 'comments', value: 'Great\u0001!' },
        ],
        representative: [],
      },
    });
    expect(view.chat).toEqual([
      { at: expect.any(String), from: 2, to: 1, body: 'Hello Zoë' },
      { at: expect.any(String), from: 1, to: null, body: ODD },
    ]);
    expect(view.notes).toEqual([{ at: expect.any(String), by: 2, body: 'Rebooted the spooler' }]);
    expect(view.files).toEqual([
      { at: expect.any(String), by: 2, direction: 'upload', filename: 'fix.ps1', filesize: 2048 },
      { at: expect.any(String), by: 1, direction: 'download', filename: 'log ü.txt', filesize: 0 },
    ]);
    const zoe = { type: 'customer', gsnumber: 1, name: 'Zoë' };
    const ann = { type: 'representative', gsnumber: 2, name: 'Ann Lee' };
    expect(view.details.map(({ timestamp: _, ...d }: { timestamp: number }) => d)).toEqual([
      { event_type: 'Session Start' },
      {
        event_type: 'Conference Owner Changed',
        destination: { type: 'system', gsnumber: 0, name: 'General' },
        data: [{ name: 'owner', value: 'general' }],
      },
      { event_type: 'Conference Member Added', performed_by: zoe },
      { event_type: 'Conference Member Added', performed_by: ann },
      {
        event_type: 'Conference Owner Changed',
        destination: { type: 'system', gsnumber: 0, name: 'Ann Lee' },
        data: [{ name: 'owner', value: 'rep:12' }],
      },
      { event_type: 'Chat Message', performed_by: ann, destination: zoe, body: 'Hello Zoë' },
      { event_type: 'Chat Message', performed_by: zoe, body: ODD },
      { event_type: 'Session Note Added', performed_by: ann, body: 'Rebooted the spooler' },
      {
        event_type: 'File Upload',
        performed_by: ann,
        files: [{ filename: 'fix.ps1', filesize: 2048 }],
      },
      {
        event_type: 'File Download',
        performed_by: zoe,
        files: [{ filename: 'log ü.txt', filesize: 0 }],
      },
      { event_type: 'Custom Attribute Changed', data: [{ name: 'ticket', value: 'INC-1' }] },
      { event_type: 'Custom Attribute Changed', data: [{ name: 'asset', value: 'A-9' }] },
      { event_type: 'Custom Attribute Changed', data: [{ name: 'asset', value: '' }] },
      { event_type: 'External Key Changed', data: [{ name: 'external_key', value: 'K-1' }] },
      { event_type: 'Conference Member Departed', performed_by: zoe },
      { event_type: 'Conference Member Departed', performed_by: ann },
      { event_type: 'Session End' },
      {
        event_type: 'Customer Exit Survey',
        performed_by: zoe,
        data: [
          { name: 'rating', value: '5' },
          { name: 'comments', value: 'Great\u0001!' },
        ],
      },
    ]);
    const times = view.details.map((d: { timestamp: number }) => d.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('refuses bad input with a 400 naming the field, and impossible steps with their code', async () => {
    const { svc, receiver } = await setUp();
    await ok(svc, 201, 'POST', '/custom-fields', { code_name: 'ticket', display_name: 'Ticket' });
    const { lsid } = await ok(svc, 201, 'POST', '/sessions', {});
    const s = `/sessions/${lsid}`;
    await ok(svc, 201, 'POST', `${s}/members`, ZOE);
    await ok(svc, 201, 'POST', `${s}/members`, ANN);
    await ok(svc, 200, 'DELETE', `${s}/members/2`);
    const before = await ok(svc, 200, 'GET', s);
    const refuse = async (
      method: string,
      path: string,
      body: unknown,
      status: number,
      field?: string,
    ) => {
      const res = await svc.api(method, `/api/v1${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(
        status,
      );
      if (field !== undefined) expect(res.body.field).toBe(field);
      return res.body;
    };
    const big = 'x'.repeat(32 * 1024 + 1);
    await refuse('POST', `${s}/chat`, { from: 1, body: big }, 400, 'body');
    await refuse('POST', `${s}/chat`, { from: 1, body: '' }, 400, 'body');
    await refuse('POST', `${s}/chat`, { from: 1, body: 'a\uD800b' }, 400, 'body');
    await refuse('POST', `${s}/chat`, { from: '1', body: 'hi' }, 400, 'from');
    await refuse('POST', `${s}/chat`, { from: 1, to: 0, body: 'hi' }, 400, 'to');
    await refuse('POST', `${s}/chat`, { from: 1, body: 'hi', at: 1 }, 400, 'at');
    await refuse('POST', `${s}/notes`, { by: 1 }, 400, 'body');
    await refuse(
      'POST',
      `${s}/files`,
      { by: 1, direction: 'up', filename: 'a', filesize: 1 },
      400,
      'direction',
    );
    await refuse(
      'POST',
      `${s}/files`,
      { by: 1, direction: 'upload', filename: 'é'.repeat(256), filesize: 1 },
      400,
      'filename',
    );
    await refuse(
      'POST',
      `${s}/files`,
      { by: 1, direction: 'upload', filename: 'a', filesize: -1 },
      400,
      'filesize',
    );
    await refuse(
      'POST',
      `${s}/files`,
      { by: 1, direction: 'upload', filename: 'a', filesize: 1.5 },
      400,
      'filesize',
    );
    await refuse('PUT', `${s}/attributes`, { ticket: 'é'.repeat(1025) }, 400, 'ticket');
    await refuse('PUT', `${s}/attributes`, { nope: 'x' }, 400, 'nope');
    await refuse('PUT', `${s}/attributes`, { Ticket: 'x' }, 400, 'Ticket');
    await refuse('PUT', `${s}/attributes`, { ticket: 5 }, 400, 'ticket');
    await refuse(
      'POST',
      `${s}/members`,
      { ...ZOE, details: { hostname: 'h'.repeat(1025) } },
      400,
      'details.hostname',
    );
    await refuse(
      'POST',
      `${s}/members`,
      { ...ZOE, details: { public_display_name: 'x' } },
      400,
      'details.public_display_name',
    );
    await refuse(
      'POST',
      `${s}/members`,
      { ...ZOE, details: { info: { issue: 1 } } },
      400,
      'details.info.issue',
    );
    await refuse('POST', `${s}/members`, { ...ANN, details: { info: {} } }, 400, 'details.info');
    await refuse(
      'POST',
      `${s}/surveys/customer`,
      { answers: [{ name: 'rating' }] },
      400,
      'answers[0].value',
    );
    await refuse('POST', `${s}/surveys/customer`, { answers: 'good' }, 400, 'answers');
    // Steps the session cannot take: their own codes.
    expect(await refuse('POST', `${s}/chat`, { from: 9, body: 'hi' }, 404)).toMatchObject({
      error: 'member_not_found',
    });
    expect(await refuse('POST', `${s}/notes`, { by: 2, body: 'hi' }, 409)).toMatchObject({
      error: 'member_already_left',
    });
    expect(await refuse('POST', `${s}/chat`, { from: 1, to: 2, body: 'hi' }, 409)).toMatchObject({
      error: 'member_already_left',
    });
    await refuse('POST', '/sessions/nope/chat', { from: 1, body: 'hi' }, 404);
    // Nothing changed, nothing was sent beyond the steps that went through.
    // (seconds_involved of members still present grows with the clock)
    const still = (view: { members: { seconds_involved?: number }[] }) => ({
      ...view,
      members: view.members.map(({ seconds_involved: _, ...m }) => m),
    });
    expect(still(await ok(svc, 200, 'GET', s))).toEqual(still(before));
    await ok(svc, 200, 'POST', `${s}/end`);
    expect(await refuse('POST', `${s}/notes`, { by: 1, body: 'late' }, 409)).toMatchObject({
      error: 'session_ended',
    });
    expect(await refuse('PUT', `${s}/attributes`, { ticket: 'late' }, 409)).toMatchObject({
      error: 'session_ended',
    });
    await waitUntil(() => receiver.accepted.length >= 7, 'the events');
    expect(receiver.accepted).toHaveLength(7);
  });

  it('keeps the external key and attributes within 10 KB in all', async () => {
    const { svc } = await setUp();
    for (const code_name of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']) {
      await ok(svc, 201, 'POST', '/custom-fields', { code_name, display_name: code_name });
    }
    const { lsid } = await ok(svc, 201, 'POST', '/sessions', { external_key: 'k'.repeat(200) });
    const values = Object.fromEntries(
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((c) => [c, 'v'.repeat(1000)]),
    );
    await ok(svc, 200, 'PUT', `/sessions/${lsid}/attributes`, values);
    const res = await svc.api('PUT', `/api/v1/sessions/${lsid}/attributes`, { k: 'v'.repeat(100) });
    expect(res).toMatchObject({ status: 400, body: { field: 'custom_attributes' } });
    // Clearing makes room again.
    await ok(svc, 200, 'PUT', `/sessions/${lsid}/attributes`, { a: '', k: 'v'.repeat(100) });
    // external_key is the session's external key, '' clears it; counted in the 10 KB.
    const tooMuch = { external_key: 'k'.repeat(1024), a: 'v'.repeat(1000) };
    expect((await svc.api('PUT', `/api/v1/sessions/${lsid}/attributes`, tooMuch)).status).toBe(400);
    const set = await ok(svc, 200, 'PUT', `/sessions/${lsid}/attributes`, { external_key: 'T-9' });
    expect(set.external_key).toBe('T-9');
    const cleared = await ok(svc, 200, 'PUT', `/sessions/${lsid}/attributes`, { external_key: '' });
    expect(cleared.external_key).toBeNull();
  });
});

describe('custom field definitions', () => {
  it('are added, listed, read and removed through the API, audited; bad ones refused', async () => {
    const { svc } = await setUp();
    const made = await ok(svc, 201, 'POST', '/custom-fields', {
      code_name: 'ticket_no',
      display_name: 'Ticket number',
    });
    expect(made).toEqual({
      code_name: 'ticket_no',
      display_name: 'Ticket number',
      createdAt: expect.any(String),
    });
    expect(await ok(svc, 200, 'GET', '/custom-fields')).toEqual({ custom_fields: [made] });
    expect(await ok(svc, 200, 'GET', '/custom-fields/ticket_no')).toEqual(made);
    const bad = async (body: unknown, status: number, field?: string) => {
      const res = await svc.api('POST', '/api/v1/custom-fields', body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.field).toBe(field);
    };
    await bad({ code_name: 'ticket_no', display_name: 'Again' }, 409, 'code_name');
    await bad({ code_name: 'Ticket', display_name: 'T' }, 400, 'code_name');
    await bad({ code_name: '1x', display_name: 'T' }, 400, 'code_name');
    await bad({ code_name: 'x'.repeat(65), display_name: 'T' }, 400, 'code_name');
    await bad({ code_name: 'external_key', display_name: 'T' }, 400, 'code_name');
    await bad({ code_name: 'x', display_name: '' }, 400, 'display_name');
    await bad({ code_name: 'x', display_name: 'd'.repeat(256) }, 400, 'display_name');
    await bad({ code_name: 'x', display_name: 'X', extra: 1 }, 400, 'extra');
    expect(await ok(svc, 200, 'DELETE', '/custom-fields/ticket_no')).toEqual(made);
    expect((await svc.api('DELETE', '/api/v1/custom-fields/ticket_no')).status).toBe(404);
    expect((await svc.api('GET', '/api/v1/custom-fields/ticket_no')).status).toBe(404);
    const audit = (await svc.service.store.admin.listAudit(10)).filter((e) =>
      e.action.startsWith('custom-field.'),
    );
    expect(audit.map((e) => [e.action, e.actor, e.before, e.after])).toEqual([
      [
        'custom-field.delete',
        expect.stringMatching(/^api:/),
        { code_name: 'ticket_no', display_name: 'Ticket number' },
        null,
      ],
      [
        'custom-field.create',
        expect.stringMatching(/^api:/),
        null,
        { code_name: 'ticket_no', display_name: 'Ticket number' },
      ],
    ]);
  });
});
