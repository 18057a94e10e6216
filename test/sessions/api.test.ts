/**
 * The sessions API over a real service and a real receiver: events arrive in order and
 * byte-exact, refusals emit nothing, sessions survive a restart, and concurrent calls on one
 * session are serialized.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEvent, validateEvent } from '../../src/events/index.js';
import { TestReceiver } from '../support/receiver.js';
import { startService, type TestService } from '../support/service.js';
import { sleep, waitUntil } from '../support/wait.js';

const services: TestService[] = [];
const receivers: TestReceiver[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const s of services.splice(0).reverse()) await s.stop();
  for (const r of receivers.splice(0)) await r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setUp(dir?: string) {
  const svc = await startService({}, dir);
  services.push(svc);
  return svc;
}

async function receiverFor(svc: TestService) {
  const receiver = await TestReceiver.start();
  receivers.push(receiver);
  const res = await svc.api('POST', '/api/v1/recipients', {
    name: 'r',
    url: receiver.url,
    retryIntervalSeconds: 0.05,
    retryMaxIntervalSeconds: 0.2,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { receiver, recipientId: res.body.id as number };
}

/** A call that must succeed with `status`; returns the body. */
async function ok(svc: TestService, status: number, method: string, path: string, body?: unknown) {
  const res = await svc.api(method, `/api/v1${path}`, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

const ANN = { type: 'representative', display_name: 'José Müller', user_id: '12', username: 'jm' };
const ZOE = { type: 'customer', display_name: 'Zoë & "Mia" = 王' };
const TEAM = { conference_id: 'team:5', conference_name: 'Tier 1 – Nordics' };
const GENERAL = { conference_id: 'general', conference_name: 'General' };

type Expected = Record<string, string>;
const ev = (event: string, lsid: string, extra: Expected = {}): Expected => ({
  event: `support_conference_${event}`,
  lsid,
  ...extra,
});

/**
 * The bodies are exactly the encoding of the expected events, in order, each with a timestamp
 * taken between `from` and `to` (ms).
 */
function expectWire(bodies: string[], expected: Expected[], from: number, to: number) {
  expect(bodies).toHaveLength(expected.length);
  bodies.forEach((body, i) => {
    const timestamp = Number(new URLSearchParams(body).get('timestamp'));
    expect(timestamp).toBeGreaterThanOrEqual(Math.floor(from / 1000));
    expect(timestamp).toBeLessThanOrEqual(Math.floor(to / 1000));
    const event = validateEvent({ ...expected[i], version: 1, timestamp });
    expect(body, `event ${i}`).toBe(encodeEvent(event));
  });
}

const arrived = (receiver: TestReceiver, n: number) =>
  waitUntil(() => receiver.accepted.length >= n, `${n} events at the receiver`);

describe('sessions API', () => {
  it('a whole session arrives at the receiver in order, byte-exact', async () => {
    const svc = await setUp();
    const { receiver } = await receiverFor(svc);
    const from = Date.now();

    const created = await ok(svc, 201, 'POST', '/sessions', { owner: TEAM });
    expect(Object.keys(created)).toEqual(['lsid']);
    const lsid = created.lsid as string;
    expect(lsid).toMatch(/^[0-9a-f]{32}$/);
    const s = `/sessions/${lsid}`;

    expect(await ok(svc, 201, 'POST', `${s}/members`, ZOE)).toEqual({ memberId: 1 });
    expect(await ok(svc, 201, 'POST', `${s}/members`, ANN)).toEqual({ memberId: 2 });
    await ok(svc, 200, 'POST', `${s}/owner`, { conference_id: 'rep:12', conference_name: 'José' });
    await ok(svc, 200, 'PUT', `${s}/external-key`, { external_key: 'INC-7 & ü' });
    await ok(svc, 200, 'POST', `${s}/surveys/customer`);
    // The primary representative leaves: the session goes back to the queue.
    await ok(svc, 200, 'DELETE', `${s}/members/2`);
    await ok(svc, 200, 'PUT', `${s}/external-key`, { external_key: 'INC-8' });
    const ended = await ok(svc, 200, 'POST', `${s}/end`);
    const view = await ok(svc, 200, 'POST', `${s}/surveys/representative`);
    const to = Date.now();

    const k7 = { external_key: 'INC-7 & ü' };
    const k8 = { external_key: 'INC-8' };
    const expected = [
      ev('begin', lsid),
      ev('owner_changed', lsid, TEAM),
      ev('member_added', lsid, ZOE),
      ev('member_added', lsid, ANN),
      ev('owner_changed', lsid, { conference_id: 'rep:12', conference_name: 'José' }),
      ev('customer_exit_survey_completed', lsid, k7),
      ev('member_departed', lsid, { ...k7, ...ANN }),
      ev('owner_changed', lsid, { ...k7, ...GENERAL }),
      ev('member_departed', lsid, { ...k8, ...ZOE }),
      ev('end', lsid, k8),
      ev('representative_exit_survey_completed', lsid, k8),
    ];
    await arrived(receiver, expected.length);
    expectWire(receiver.accepted, expected, from, to);

    expect(ended.ended).toBe(true);
    const times = {
      details: {},
      joinedAt: expect.any(String),
      leftAt: expect.any(String),
      seconds_involved: expect.any(Number),
    };
    expect(view).toEqual({
      lsid,
      external_key: 'INC-8',
      owner: GENERAL,
      ended: true,
      members: [
        { memberId: 1, gsnumber: 1, ...ZOE, present: false, ...times },
        { memberId: 2, gsnumber: 2, ...ANN, present: false, ...times },
      ],
      surveys: { customer: true, representative: true },
      // What the reports show besides (test/sessions/report-model.test.ts goes through it).
      lseq: expect.any(Number),
      primary_customer: 1,
      primary_rep: 2,
      survey_answers: { customer: [], representative: [] },
      custom_attributes: {},
      file_counts: { transfers: 0, moves: 0, deletes: 0 },
      chat: [],
      notes: [],
      files: [],
      details: expect.any(Array),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      endedAt: ended.endedAt,
    });
    expect(await ok(svc, 200, 'GET', s)).toEqual(view);
  });

  it('create with an external key and no body; General is the default owner', async () => {
    const svc = await setUp();
    const { receiver } = await receiverFor(svc);
    const from = Date.now();
    const { lsid } = await ok(svc, 201, 'POST', '/sessions', { external_key: 'T-1' });
    const bare = await ok(svc, 201, 'POST', '/sessions');
    const to = Date.now();
    await arrived(receiver, 4);
    expectWire(
      receiver.accepted,
      [
        ev('begin', lsid, { external_key: 'T-1' }),
        ev('owner_changed', lsid, { external_key: 'T-1', ...GENERAL }),
        ev('begin', bare.lsid),
        ev('owner_changed', bare.lsid, GENERAL),
      ],
      from,
      to,
    );
  });

  it('refusals answer 400/404/409 with a message and emit nothing', async () => {
    const svc = await setUp();
    const { receiver, recipientId } = await receiverFor(svc);
    const { lsid } = await ok(svc, 201, 'POST', '/sessions');
    const s = `/api/v1/sessions/${lsid}`;
    await ok(svc, 201, 'POST', `/sessions/${lsid}/members`, ANN);
    await ok(svc, 201, 'POST', `/sessions/${lsid}/members`, ZOE);
    await ok(svc, 200, 'DELETE', `/sessions/${lsid}/members/2`);

    const queued = async () =>
      (await svc.api('GET', `/api/v1/recipients/${recipientId}/deliveries?limit=500`)).body
        .deliveries.length as number;
    const before = await queued();
    const refuse = async (
      method: string,
      path: string,
      body: unknown,
      status: number,
      message: string,
      field?: string,
    ) => {
      const res = await svc.api(method, path, body);
      expect(res, `${method} ${path}`).toEqual({
        status,
        body: {
          error: status === 400 ? 'bad_request' : sessionCode(message),
          message,
          ...(field === undefined ? {} : { field }),
        },
      });
    };

    // Bad input: 400 naming the field.
    await refuse(
      'POST',
      '/api/v1/sessions',
      { owner: { conference_id: '' } },
      400,
      'owner.conference_id must be a non-empty string',
      'owner.conference_id',
    );
    await refuse(
      'POST',
      '/api/v1/sessions',
      { lsid: '42' },
      400,
      'unknown field "lsid"; expected external_key, owner',
      'lsid',
    );
    await refuse(
      'POST',
      `${s}/members`,
      { type: 'customer', display_name: 'A', user_id: '1' },
      400,
      'user_id is only sent for a representative',
      'user_id',
    );
    await refuse(
      'POST',
      `${s}/members`,
      { type: 'representative', display_name: 'A' },
      400,
      'user_id is required',
      'user_id',
    );
    await refuse(
      'PUT',
      `${s}/external-key`,
      { external_key: '' },
      400,
      'external_key must be a non-empty string',
      'external_key',
    );
    await refuse(
      'POST',
      `${s}/owner`,
      { conference_id: 'team:1' },
      400,
      'conference_name is required',
      'conference_name',
    );

    // Unknown session or member: 404.
    const gone = '/api/v1/sessions/nope';
    const noSession = 'no session with lsid "nope"';
    await refuse('GET', gone, undefined, 404, noSession);
    await refuse('POST', `${gone}/members`, ZOE, 404, noSession);
    await refuse('DELETE', `${gone}/members/1`, undefined, 404, noSession);
    await refuse('DELETE', `${gone}/members/x`, undefined, 404, noSession);
    await refuse('POST', `${gone}/end`, undefined, 404, noSession);
    await refuse('POST', `${gone}/surveys/customer`, undefined, 404, noSession);
    await refuse('PUT', `${gone}/external-key`, { external_key: 'K' }, 404, noSession);
    await refuse('POST', `${gone}/owner`, TEAM, 404, noSession);
    await refuse('DELETE', `${s}/members/9`, undefined, 404, `session ${lsid} has no member 9`);
    await refuse('DELETE', `${s}/members/x`, undefined, 404, `session ${lsid} has no member "x"`);

    // Steps that cannot happen: 409.
    await refuse(
      'DELETE',
      `${s}/members/2`,
      undefined,
      409,
      `member 2 has already left session ${lsid}`,
    );
    await ok(svc, 200, 'POST', `/sessions/${lsid}/end`);
    await ok(svc, 200, 'POST', `/sessions/${lsid}/surveys/customer`);
    const ended = `session ${lsid} has ended`;
    await refuse('POST', `${s}/members`, ZOE, 409, ended);
    await refuse('DELETE', `${s}/members/1`, undefined, 409, ended);
    await refuse('POST', `${s}/owner`, TEAM, 409, ended);
    await refuse('PUT', `${s}/external-key`, { external_key: 'K' }, 409, ended);
    await refuse('POST', `${s}/end`, undefined, 409, ended);
    await refuse(
      'POST',
      `${s}/surveys/customer`,
      undefined,
      409,
      'the customer exit survey was already submitted',
    );

    // Only the end (two departures: Ann, still present; then end) and the survey got queued.
    expect(await queued()).toBe(before + 3);
    const { lsid: other } = await ok(svc, 201, 'POST', '/sessions');
    await refuse(
      'POST',
      `/api/v1/sessions/${other}/surveys/representative`,
      undefined,
      409,
      `no representative took part in session ${other}`,
    );
    await refuse(
      'POST',
      `/api/v1/sessions/${other}/surveys/customer`,
      undefined,
      409,
      `no customer took part in session ${other}`,
    );
    expect(await queued()).toBe(before + 5);

    // The receiver gets exactly the session's events, nothing from the refusals.
    await arrived(receiver, before + 5);
    await sleep(100);
    expect(
      receiver.accepted.map((b) =>
        new URLSearchParams(b).get('event')?.replace('support_conference_', ''),
      ),
    ).toEqual([
      'begin',
      'owner_changed',
      'member_added',
      'member_added',
      'member_departed',
      'member_departed',
      'end',
      'customer_exit_survey_completed',
      'begin',
      'owner_changed',
    ]);
  });

  it('a session survives a restart and goes on where it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbound-sessions-'));
    dirs.push(dir);
    const first = await setUp(dir);
    const { receiver } = await receiverFor(first);
    const from = Date.now();
    const { lsid } = await ok(first, 201, 'POST', '/sessions', { external_key: 'INC-1' });
    const s = `/sessions/${lsid}`;
    await ok(first, 201, 'POST', `${s}/members`, ZOE);
    await ok(first, 201, 'POST', `${s}/members`, ANN);
    await first.stop();
    services.splice(services.indexOf(first), 1);

    const second = await setUp(dir);
    const before = await ok(second, 200, 'GET', s);
    expect(before).toMatchObject({ lsid, external_key: 'INC-1', ended: false });
    expect(before.members.map((m: { present: boolean }) => m.present)).toEqual([true, true]);
    // Member ids go on from where they were.
    expect(await ok(second, 201, 'POST', `${s}/members`, ZOE)).toEqual({ memberId: 3 });
    await ok(second, 200, 'DELETE', `${s}/members/1`);
    await ok(second, 409, 'DELETE', `${s}/members/1`);
    await ok(second, 200, 'POST', `${s}/end`);
    await ok(second, 200, 'POST', `${s}/surveys/customer`);
    const to = Date.now();

    const k = { external_key: 'INC-1' };
    const expected = [
      ev('begin', lsid, k),
      ev('owner_changed', lsid, { ...k, ...GENERAL }),
      ev('member_added', lsid, { ...k, ...ZOE }),
      ev('member_added', lsid, { ...k, ...ANN }),
      ev('member_added', lsid, { ...k, ...ZOE }),
      ev('member_departed', lsid, { ...k, ...ZOE }),
      ev('member_departed', lsid, { ...k, ...ANN }),
      ev('member_departed', lsid, { ...k, ...ZOE }),
      ev('end', lsid, k),
      ev('customer_exit_survey_completed', lsid, k),
    ];
    await arrived(receiver, expected.length);
    // A restart may re-send the head event once (at-least-once): compare without repeats.
    const distinct = receiver.accepted.filter((b, i, all) => i === 0 || all[i - 1] !== b);
    expectWire(distinct, expected, from, to);
  });

  it('concurrent calls on one session are serialized: one departure, distinct member ids', async () => {
    const svc = await setUp();
    const { receiver } = await receiverFor(svc);
    const { lsid } = await ok(svc, 201, 'POST', '/sessions');
    const s = `/api/v1/sessions/${lsid}`;

    const joins = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        svc.api('POST', `${s}/members`, { type: 'customer', display_name: `C${i}` }),
      ),
    );
    expect(joins.every((r) => r.status === 201)).toBe(true);
    expect(joins.map((r) => r.body.memberId).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );

    const leaves = await Promise.all(
      Array.from({ length: 10 }, () => svc.api('DELETE', `${s}/members/7`)),
    );
    expect(leaves.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const ends = await Promise.all(Array.from({ length: 5 }, () => svc.api('POST', `${s}/end`)));
    expect(ends.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);

    // begin, owner, 20 joins, one departure of member 7, 19 departures at the end, end.
    await arrived(receiver, 2 + 20 + 1 + 19 + 1);
    await sleep(100);
    const names = receiver.accepted.map((b) => new URLSearchParams(b));
    expect(names).toHaveLength(43);
    const departed = names.filter((p) => p.get('event') === 'support_conference_member_departed');
    expect(departed).toHaveLength(20);
    expect(new Set(departed.map((p) => p.get('display_name'))).size).toBe(20);
    expect(names.at(-1)?.get('event')).toBe('support_conference_end');
    // The added order is the memberId order.
    const added = names.filter((p) => p.get('event') === 'support_conference_member_added');
    const byId = new Map(joins.map((r, i) => [r.body.memberId as number, `C${i}`]));
    expect(added.map((p) => p.get('display_name'))).toEqual(
      Array.from({ length: 20 }, (_, i) => byId.get(i + 1)),
    );
  });

  it('is described in the OpenAPI document', async () => {
    const svc = await setUp();
    const doc = await ok(svc, 200, 'GET', '/openapi.json');
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/sessions'))).toEqual([
      '/api/v1/sessions',
      '/api/v1/sessions/{lsid}',
      '/api/v1/sessions/{lsid}/external-key',
      '/api/v1/sessions/{lsid}/attributes',
      '/api/v1/sessions/{lsid}/owner',
      '/api/v1/sessions/{lsid}/members',
      '/api/v1/sessions/{lsid}/members/{memberId}',
      '/api/v1/sessions/{lsid}/chat',
      '/api/v1/sessions/{lsid}/notes',
      '/api/v1/sessions/{lsid}/files',
      '/api/v1/sessions/{lsid}/end',
      '/api/v1/sessions/{lsid}/surveys/customer',
      '/api/v1/sessions/{lsid}/surveys/representative',
    ]);
  });
});

/** The session rule's own code, which the error body carries (issue 12). */
function sessionCode(message: string): string {
  const codes: [RegExp, string][] = [
    [/^no session with lsid/, 'session_not_found'],
    [/has no member/, 'member_not_found'],
    [/has ended/, 'session_ended'],
    [/has already left/, 'member_already_left'],
    [/took part/, 'survey_without_party'],
    [/already submitted/, 'survey_already_submitted'],
  ];
  return codes.find(([pattern]) => pattern.test(message))?.[1] ?? `no code for "${message}"`;
}
