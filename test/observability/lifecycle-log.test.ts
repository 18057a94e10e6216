/**
 * The delivery lifecycle in the log: a recipient starting to fail, recovering, an event set
 * aside (by the retry limit or an operator), a lane moving between nodes — one JSON line per
 * transition with the recipient's id and name and the event id, never one per attempt.
 * Real services, real receivers on loopback, real SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FLAP_QUIET_MS, LifecycleLog } from '../../src/delivery/lifecycle-log.js';
import type { SendResult } from '../../src/delivery/sender.js';
import type { PendingDelivery, Recipient } from '../../src/types.js';
import { makeEvent, numbered } from '../delivery/e2e.js';
import { createDatabase } from '../support/postgres.js';
import { TestReceiver } from '../support/receiver.js';
import { waitUntil } from '../support/wait.js';
import { type LoggedService, linesWith, startLogged } from './logged-service.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function logged(overrides: Parameters<typeof startLogged>[0] = {}): Promise<LoggedService> {
  const svc = await startLogged(overrides);
  cleanups.push(() => svc.stop());
  return svc;
}

async function receiver(): Promise<TestReceiver> {
  const r = await TestReceiver.start();
  cleanups.push(() => r.close());
  return r;
}

const FAST = { retryIntervalSeconds: 0.05, retryMaxIntervalSeconds: 0.1, timeoutSeconds: 5 };

async function addRecipient(svc: LoggedService, body: Record<string, unknown>) {
  const res = await svc.api('POST', '/api/v1/recipients', { ...FAST, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string };
}

async function post(svc: LoggedService, events: unknown): Promise<string[]> {
  const res = await svc.api('POST', '/api/v1/events', events);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.ids;
}

describe('lifecycle log lines', () => {
  it('says once that a recipient is failing and once that it recovered, not once per attempt', async () => {
    const svc = await logged();
    const rx = await receiver();
    rx.mode = { kind: 'status', status: 503 };
    const r = await addRecipient(svc, { name: 'billing', url: rx.url });
    const [id] = await post(svc, makeEvent('begin'));
    await waitUntil(() => rx.requests.length >= 5, 'five failed attempts');
    rx.mode = { kind: 'ok' };
    await waitUntil(() => rx.accepted.length === 1, 'the event delivered');
    await waitUntil(() => linesWith(svc.lines, 'recovered').length === 1, 'the recovery line');

    const failing = linesWith(svc.lines, 'is failing');
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({
      recipientId: r.id,
      recipient: 'billing',
      eventId: id,
      attempt: 1,
      status: 503,
      errorCode: expect.any(String),
      failingSince: expect.any(String),
    });
    const recovered = linesWith(svc.lines, 'recovered')[0];
    const failedAttempts = rx.requests.length - 1;
    expect(recovered).toMatchObject({
      recipientId: r.id,
      recipient: 'billing',
      eventId: id,
      attempt: failedAttempts + 1,
      failedAttempts,
      failedForMs: expect.any(Number),
    });
    expect(recovered?.level).toBe(30);
    expect(failing[0]?.level).toBe(40);
    // Nothing else about this recipient: the attempts in between wrote no line.
    expect(svc.lines.filter((l) => l.recipientId === r.id)).toHaveLength(2);
  });

  it('a flapping recipient (fail, succeed, fail…) does not flood the log', async () => {
    const svc = await logged();
    const rx = await receiver();
    // Every event fails once, then is delivered: 20 failing runs and 20 recoveries.
    const seen = new Set<string>();
    rx.modeFor = (request) => {
      const webhookId = String(request.headers['webhook-id']);
      if (seen.has(webhookId)) return { kind: 'ok' };
      seen.add(webhookId);
      return { kind: 'status', status: 500 };
    };
    const r = await addRecipient(svc, { name: 'flappy', url: rx.url });
    await post(svc, numbered(20));
    await waitUntil(() => rx.accepted.length === 20, 'every event delivered');
    await waitUntil(() => linesWith(svc.lines, 'recovered').length >= 1, 'the recovery line');

    // Within the quiet period, one "failing" line and one "recovered" line in all.
    const about = svc.lines.filter((l) => l.recipientId === r.id);
    expect(rx.requests.length).toBe(40);
    expect(about.map((l) => l.msg)).toEqual([
      expect.stringContaining('is failing'),
      expect.stringContaining('recovered'),
    ]);
  });

  it('logs an event set aside by the retry limit and by an operator, with its id and attempt', async () => {
    const svc = await logged();
    const rx = await receiver();
    rx.mode = { kind: 'status', status: 500 };
    const r = await addRecipient(svc, { name: 'crm', url: rx.url, retryDurationSeconds: 0.3 });
    const [first, second] = await post(svc, [makeEvent('begin'), makeEvent('begin')]);
    await waitUntil(() => linesWith(svc.lines, 'set aside').length === 1, 'the set-aside line');
    const limit = linesWith(svc.lines, 'set aside')[0];
    expect(limit).toMatchObject({
      level: 40,
      recipientId: r.id,
      recipient: 'crm',
      eventId: first,
      status: 500,
      attempt: expect.any(Number),
      reason: 'retry duration ran out',
    });
    // Every attempt at the first event was sent before it was set aside.
    expect(limit?.attempt as number).toBeGreaterThan(1);

    // The operator sets the second event aside while it is still being retried.
    await svc.api('POST', `/api/v1/recipients/${r.id}/pause`);
    const res = await svc.api('POST', `/api/v1/recipients/${r.id}/set-aside`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await waitUntil(
      () => linesWith(svc.lines, 'by an operator').length === 1,
      'the operator set-aside line',
    );
    expect(linesWith(svc.lines, 'by an operator')[0]).toMatchObject({
      recipientId: r.id,
      recipient: 'crm',
      eventId: second,
      reason: 'set aside by an operator',
    });
  });

  it('logs a lane moving between nodes on PostgreSQL: handed over by one, taken over by the other', async () => {
    const db = await createDatabase();
    cleanups.push(db.drop);
    const rx = await receiver();
    const settings = { databaseUrl: db.url, leaseMs: 1000, sweepIntervalMs: 200 };
    const a = await logged(settings);
    const names = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5'];
    for (const name of names) await addRecipient(a, { name, url: rx.url });
    await waitUntil(async () => (await readyLanes(a)) === names.length, 'node A drives all');
    const b = await startLogged(settings);
    let bStopped = false;
    cleanups.push(async () => {
      if (!bStopped) await b.stop();
    });
    await waitUntil(async () => (await readyLanes(b)) > 0, 'node B drives some lanes');

    const handed = a.lines.filter((l) => l.lane === 'handed-over');
    const taken = () => b.lines.filter((l) => l.lane === 'taken');
    await waitUntil(() => taken().length === handed.length && handed.length > 0, 'takes logged');
    expect(new Set(taken().map((l) => l.recipient))).toEqual(
      new Set(handed.map((l) => l.recipient)),
    );
    expect(handed[0]).toMatchObject({
      recipientId: expect.any(Number),
      recipient: expect.stringMatching(/^r\d$/),
      node: expect.any(Number),
    });
    expect(taken()[0]?.node).not.toBe(handed[0]?.node);
    expect(taken()[0]?.msg).toMatch(/took over the lane of recipient r\d from another node/);

    // B stops cleanly: A takes back every lane B held then, and says so for each. (The nodes
    // may have traded more lanes since the lines above: what B holds is counted at its stop.)
    const before = a.lines.filter((l) => l.lane === 'taken').length;
    bStopped = true;
    await b.stop();
    const recipients = (lines: typeof b.lines, lane: string) =>
      lines.filter((l) => l.lane === lane).map((l) => l.recipient);
    const gone = new Set([...recipients(b.lines, 'handed-over'), ...recipients(b.lines, 'lost')]);
    const heldByB = new Set(recipients(b.lines, 'taken').filter((r) => !gone.has(r)));
    expect(heldByB.size).toBeGreaterThan(0);
    await waitUntil(() => {
      const back = new Set(recipients(a.lines.slice(0), 'taken').slice(before));
      return [...heldByB].every((r) => back.has(r));
    }, 'node A took the lanes back');
  });
});

async function readyLanes(svc: LoggedService): Promise<number> {
  const body = (await (await fetch(`${svc.url}/readyz`)).json()) as { lanes?: number };
  return body.lanes ?? 0;
}

describe('LifecycleLog (the transitions alone, on a clock the test sets)', () => {
  const recipient = { id: 7, name: 'erp' } as Recipient;
  const delivery = (attempts: number) =>
    ({ eventUid: 'evt_1', eventName: 'support_conference_begin', attempts }) as PendingDelivery;
  const failure = {
    ok: false,
    status: 502,
    errorCode: 'HTTP_5XX',
    error: 'HTTP 502',
  } as SendResult;

  it('logs a failing run that starts within the quiet period once it lasts past it, counting the runs left unlogged', () => {
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const sink = (fields: Record<string, unknown>, message: string) =>
      lines.push({ fields, message });
    const log = new LifecycleLog({ info: sink, warn: sink });
    let now = 1_000_000;
    // 100 flaps a second apart: one failing and one recovered line.
    for (let i = 0; i < 100; i++) {
      log.failed(recipient, delivery(1), failure, now);
      now += 10;
      log.delivered(recipient, delivery(1), now);
      now += 10;
    }
    expect(lines.map((l) => l.message.split(':')[0])).toEqual([
      'recipient erp is failing',
      expect.stringContaining('recovered'),
    ]);
    // A run that starts during the quiet period and lasts past it is logged then.
    log.failed(recipient, delivery(1), failure, now);
    now += FLAP_QUIET_MS;
    log.failed(recipient, delivery(2), failure, now);
    expect(lines).toHaveLength(3);
    expect(lines[2]?.fields).toMatchObject({ attempt: 2, unloggedRuns: 99 });
    now += 5;
    log.delivered(recipient, delivery(2), now);
    expect(lines[3]?.fields).toMatchObject({ failedAttempts: 2 });
    expect(lines).toHaveLength(4);
  });
});
