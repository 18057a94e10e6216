/**
 * Idempotency-Key on POST /api/v1/events and the session calls, on both backends: the same key
 * gets the first answer again (Idempotent-Replayed: true) and stores nothing more; the same key
 * with another request is a 422 naming the header; keys of different tokens never collide; a
 * refused request stores no key; a key still in flight is a 409; a key older than 24 h counts
 * as new and is pruned by the retention job; the store refuses a key already live (another
 * process stored it first) and then stores none of the request's events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotent, requestFingerprint } from '../../src/operations/idempotency.js';
import { hashToken, newToken } from '../../src/operations/tokens.js';
import { GroupCommitter } from '../../src/store/group-commit.js';
import { IdempotencyKeyTakenError, KEY_LIFETIME_MS } from '../../src/store/idempotency-store.js';
import { Retention } from '../../src/store/retention.js';
import { BACKENDS, type Backend, type TestDatabase } from '../store/backends.js';
import { newEvent } from '../store/fixtures.js';
import { startService, type TestService } from '../support/service.js';

const BEGIN = 'support_conference_begin' as const;
let counter = 0;
const lsid = () => `${Date.now().toString(16)}${(counter++).toString(16).padStart(8, '0')}`;

interface Answer {
  status: number;
  body: any;
  replayed: string | null;
}

function suite(backend: Backend) {
  let db: TestDatabase;
  let svc: TestService;
  beforeAll(async () => {
    db = await backend.open();
    svc = await startService({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.cleanup();
  });

  async function call(
    method: string,
    path: string,
    body: unknown,
    key?: string,
    token = svc.token,
    contentType = 'application/json',
  ): Promise<Answer> {
    const response = await fetch(`${svc.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(key === undefined ? {} : { 'idempotency-key': key }),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      replayed: response.headers.get('idempotent-replayed'),
    };
  }
  const eventsOf = async (l: string) =>
    svc.service.store.admin.searchEvents({ lsid: l, limit: 100 });

  it('the same key and request: the first answer again, and nothing stored again', async () => {
    const l = lsid();
    const event = { event: BEGIN, lsid: l, external_key: 'INC-1' };
    const first = await call('POST', '/api/v1/events', event, 'key-replay');
    expect(first).toMatchObject({ status: 202, replayed: null });
    expect(first.body.ids).toHaveLength(1);
    // The same body with its members in another order is the same request.
    const again = await call(
      'POST',
      '/api/v1/events',
      { external_key: 'INC-1', lsid: l, event: BEGIN },
      'key-replay',
    );
    expect(again).toEqual({ status: 202, body: first.body, replayed: 'true' });
    expect((await eventsOf(l)).map((e) => e.uid)).toEqual(first.body.ids);
  });

  it('a form body: replayed when its fields are the same, in any order', async () => {
    const l = lsid();
    const form = 'application/x-www-form-urlencoded';
    const first = await call(
      'POST',
      '/api/v1/events',
      `event=${BEGIN}&lsid=${l}`,
      'form-key',
      svc.token,
      form,
    );
    expect(first.status).toBe(202);
    const again = await call(
      'POST',
      '/api/v1/events',
      `lsid=${l}&event=${BEGIN}`,
      'form-key',
      svc.token,
      form,
    );
    expect(again).toEqual({ status: 202, body: first.body, replayed: 'true' });
    expect(await eventsOf(l)).toHaveLength(1);
  });

  it('the same key with another body, or another path: 422 naming Idempotency-Key, nothing stored', async () => {
    const l = lsid();
    const other = lsid();
    expect(
      (await call('POST', '/api/v1/events', { event: BEGIN, lsid: l }, 'key-reused')).status,
    ).toBe(202);
    const reused = await call(
      'POST',
      '/api/v1/events',
      { event: BEGIN, lsid: other },
      'key-reused',
    );
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({
      error: 'idempotency_key_reused',
      field: 'Idempotency-Key',
    });
    expect(reused.body.message).toContain('Idempotency-Key');
    expect(await eventsOf(other)).toHaveLength(0);
    const elsewhere = await call('POST', '/api/v1/sessions', {}, 'key-reused');
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error).toBe('idempotency_key_reused');
  });

  it('keys of different tokens never collide', async () => {
    const second = newToken();
    await svc.service.store.createToken('second', hashToken(second), Date.now());
    const l = lsid();
    const event = { event: BEGIN, lsid: l };
    const mine = await call('POST', '/api/v1/events', event, 'shared-key');
    const theirs = await call('POST', '/api/v1/events', event, 'shared-key', second);
    expect(theirs).toMatchObject({ status: 202, replayed: null });
    expect(theirs.body.ids).not.toEqual(mine.body.ids);
    expect(await eventsOf(l)).toHaveLength(2);
    // And another token's different request with that key is no reuse either.
    const other = await call(
      'POST',
      '/api/v1/events',
      { event: BEGIN, lsid: lsid() },
      'shared-key',
      second,
    );
    expect(other.status).toBe(422); // its own first request with the key was another one
  });

  it('a refusal is not remembered: the corrected request with the same key is stored', async () => {
    const l = lsid();
    const bad = await call(
      'POST',
      '/api/v1/events',
      { event: 'no_such_event', lsid: l },
      'key-fix',
    );
    expect(bad.status).toBe(400);
    const fixed = await call('POST', '/api/v1/events', { event: BEGIN, lsid: l }, 'key-fix');
    expect(fixed).toMatchObject({ status: 202, replayed: null });
    expect(await eventsOf(l)).toHaveLength(1);
  });

  it.each([
    ['256 characters', 'k'.repeat(256)],
    ['a character that is not printable ASCII', 'clé'],
  ])('a key of %s: 400 naming Idempotency-Key, nothing stored', async (_, key) => {
    const l = lsid();
    const res = await call('POST', '/api/v1/events', { event: BEGIN, lsid: l }, key);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', field: 'Idempotency-Key' });
    expect(await eventsOf(l)).toHaveLength(0);
  });

  it('a key of 255 printable characters, spaces inside, is taken', async () => {
    const key = `a b~${'x'.repeat(251)}`;
    const l = lsid();
    expect((await call('POST', '/api/v1/events', { event: BEGIN, lsid: l }, key)).status).toBe(202);
    expect((await call('POST', '/api/v1/events', { event: BEGIN, lsid: l }, key)).replayed).toBe(
      'true',
    );
  });

  it('many concurrent requests with one key: one stored, the others replayed or told it is in flight', async () => {
    const l = lsid();
    const event = { event: BEGIN, lsid: l };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => call('POST', '/api/v1/events', event, 'key-concurrent')),
    );
    const stored = await eventsOf(l);
    expect(stored).toHaveLength(1);
    for (const a of answers) {
      if (a.status === 409) {
        expect(a.body).toMatchObject({
          error: 'idempotency_key_in_flight',
          field: 'Idempotency-Key',
        });
      } else {
        expect(a).toMatchObject({ status: 202, body: { ids: [stored[0]?.uid] } });
      }
    }
    expect(answers.filter((a) => a.status === 202 && a.replayed === null)).toHaveLength(1);
  });

  it('a request whose key is still being handled here: 409 idempotency_key_in_flight', async () => {
    const ctx = { store: svc.service.store, clock: Date.now };
    const scope = { tokenId: 999_001, key: 'held', fingerprint: 'f' };
    let release!: () => void;
    const held = new Promise<void>((ok) => {
      release = ok;
    });
    let started!: () => void;
    const running = new Promise<void>((ok) => {
      started = ok;
    });
    const first = idempotent(ctx, scope, async () => {
      started();
      await held;
      return { status: 202, body: {} };
    });
    await running;
    await expect(
      idempotent(ctx, scope, async () => ({ status: 202, body: {} })),
    ).rejects.toMatchObject({ status: 409, code: 'OUTBOUND_IDEMPOTENCY_KEY_IN_FLIGHT' });
    release();
    await expect(first).resolves.toMatchObject({ replayed: false });
  });

  it('sessions: a start, a member added and a step replay their first answers; one session, one member', async () => {
    const start = await call('POST', '/api/v1/sessions', { external_key: 'S-1' }, 'start-1');
    expect(start.status).toBe(201);
    const again = await call('POST', '/api/v1/sessions', { external_key: 'S-1' }, 'start-1');
    expect(again).toEqual({ status: 201, body: start.body, replayed: 'true' });
    const l = start.body.lsid as string;
    expect(await svc.service.store.searchSessions({ externalKey: 'S-1', limit: 10 })).toHaveLength(
      1,
    );

    const member = { type: 'customer', display_name: 'Ada' };
    const added = await call('POST', `/api/v1/sessions/${l}/members`, member, 'member-1');
    expect(added.status).toBe(201);
    const addedAgain = await call('POST', `/api/v1/sessions/${l}/members`, member, 'member-1');
    expect(addedAgain).toEqual({ status: 201, body: added.body, replayed: 'true' });
    const session = await call('GET', `/api/v1/sessions/${l}`, undefined);
    expect(session.body.members).toHaveLength(1);

    const chat = { body: 'hello', from: added.body.memberId };
    const said = await call('POST', `/api/v1/sessions/${l}/chat`, chat, 'chat-1');
    const saidAgain = await call('POST', `/api/v1/sessions/${l}/chat`, chat, 'chat-1');
    expect(said.status).toBe(200);
    // The answer the step gave then, not the session as it is now.
    expect(saidAgain).toEqual({ status: 200, body: said.body, replayed: 'true' });

    const ended = await call('POST', `/api/v1/sessions/${l}/end`, undefined, 'end-1');
    expect(ended.status).toBe(200);
    expect(await call('POST', `/api/v1/sessions/${l}/end`, undefined, 'end-1')).toEqual({
      ...ended,
      replayed: 'true',
    });
    // Without the key, the second end is the step that cannot happen.
    expect((await call('POST', `/api/v1/sessions/${l}/end`, undefined)).status).toBe(409);
    const events = await eventsOf(l);
    expect(events.filter((e) => e.name === 'support_conference_end')).toHaveLength(1);
    expect(events.filter((e) => e.name === 'support_conference_member_added')).toHaveLength(1);
  });

  it('sessions: a refused step stores no key (the retry after the fix is done)', async () => {
    const start = await call('POST', '/api/v1/sessions', {}, undefined);
    const l = start.body.lsid as string;
    const bad = await call(
      'PUT',
      `/api/v1/sessions/${l}/external-key`,
      { external_key: 7 },
      'ek-1',
    );
    expect(bad.status).toBe(400);
    const good = await call(
      'PUT',
      `/api/v1/sessions/${l}/external-key`,
      { external_key: 'E-7' },
      'ek-1',
    );
    expect(good).toMatchObject({ status: 200, replayed: null, body: { external_key: 'E-7' } });
  });

  it('the store refuses a key already live and stores none of the events (another process won)', async () => {
    const store = svc.service.store;
    const key = { tokenId: 999_002, key: 'raced', fingerprint: 'f', status: 202, body: '{}' };
    const now = Date.now();
    const l = lsid();
    const event = (uid: string) => ({
      uid,
      name: BEGIN,
      lsid: l,
      externalKey: null,
      timestamp: 1,
      body: `event=${BEGIN}&version=1&timestamp=1&lsid=${l}`,
    });
    await store.acceptEvents([event(`${l}-a`)], now, [key]);
    await expect(store.acceptEvents([event(`${l}-b`)], now, [key])).rejects.toBeInstanceOf(
      IdempotencyKeyTakenError,
    );
    expect((await eventsOf(l)).map((e) => e.uid)).toEqual([`${l}-a`]);
    // 24 h later it is a new key: taken over.
    await store.acceptEvents([event(`${l}-c`)], now + KEY_LIFETIME_MS, [key]);
    expect((await store.idempotency.find(999_002, 'raced'))?.createdAt).toBe(now + KEY_LIFETIME_MS);
  });

  it('group commit: a batch holding a key already live fails only that submission', async () => {
    const store = svc.service.store;
    const committer = new GroupCommitter(store);
    const key = (k: string) => ({
      tokenId: 999_004,
      key: k,
      fingerprint: 'f',
      status: 202,
      body: '{}',
    });
    const l = lsid();
    await committer.submit([newEvent(BEGIN, { lsid: l })], key('live'));
    // Submitted in one turn: they share a transaction, which the live key makes fail.
    const results = await Promise.allSettled([
      committer.submit([newEvent(BEGIN, { lsid: l })], key('new-1')),
      committer.submit([newEvent(BEGIN, { lsid: l })], key('live')),
      committer.submit([newEvent(BEGIN, { lsid: l })], key('new-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyKeyTakenError);
    expect(await eventsOf(l)).toHaveLength(3);
    expect(await store.idempotency.find(999_004, 'new-1')).toBeDefined();
    expect(await store.idempotency.find(999_004, 'new-2')).toBeDefined();
  });

  it('a key older than 24 h counts as new, and the retention job prunes it (even keeping history)', async () => {
    let shift = 0;
    const ctx = { store: svc.service.store, clock: () => Date.now() + shift };
    const scope = {
      tokenId: 999_003,
      key: 'old',
      fingerprint: requestFingerprint('POST', '/x', {}),
    };
    let runs = 0;
    const run = async (rememberAs: any) => {
      runs++;
      const answer = { status: 202, body: { n: runs } };
      await svc.service.store.acceptEvents([], ctx.clock(), [rememberAs(answer)]);
      return answer;
    };
    await idempotent(ctx, scope, run);
    expect(await idempotent(ctx, scope, run)).toMatchObject({ body: { n: 1 }, replayed: true });
    shift = KEY_LIFETIME_MS + 1000;
    expect(await idempotent(ctx, scope, run)).toMatchObject({ body: { n: 2 }, replayed: false });
    const retention = new Retention(svc.service.store, {
      retentionMs: 0,
      clock: () => Date.now() + 2 * KEY_LIFETIME_MS + 2000,
    });
    await retention.runOnce();
    expect(await svc.service.store.idempotency.find(999_003, 'old')).toBeUndefined();
  });
}

for (const backend of BACKENDS) describe(backend.name, () => suite(backend));
