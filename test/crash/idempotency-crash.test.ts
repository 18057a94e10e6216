/**
 * An Idempotency-Key is committed in the same transaction as the events of its request: when
 * `outbound serve` is killed with SIGKILL while many keyed requests are being accepted (group
 * commit batching them), every request's key and its events are stored together or not at
 * all, on both backends. Every request acknowledged before the kill has its key, naming the
 * ids it was answered; sending every request again after the restart stores each one's events
 * exactly once (the acknowledged ones are replayed with their first answer).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { BACKENDS, type Backend } from '../store/backends.js';
import { freePort, outbound, prng, ServeProcess } from '../support/serve-process.js';
import { sleep, waitUntil } from '../support/wait.js';

const BEGIN = 'support_conference_begin';
const PER_REQUEST = 3;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const lsidOf = (i: number) => `cafe${i.toString(16).padStart(28, '0')}`;
const keyOf = (i: number) => `crash-${i}`;
const bodyOf = (i: number) =>
  Array.from({ length: PER_REQUEST }, (_, n) => ({
    event: BEGIN,
    lsid: lsidOf(i),
    external_key: `R${i}-${n}`,
  }));

interface Sent {
  status: number | 'no answer';
  body?: { ids: string[] };
  replayed?: string | null;
}

async function send(url: string, token: string, i: number): Promise<Sent> {
  try {
    const response = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': keyOf(i),
      },
      body: JSON.stringify(bodyOf(i)),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      replayed: response.headers.get('idempotent-replayed'),
    };
  } catch {
    return { status: 'no answer' };
  }
}

/** Per request: the uids of its stored events, and the ids its stored key answers. */
async function stored(store: Store, tokenId: number, count: number) {
  const events = await store.admin.searchEvents({ limit: 1_000_000 });
  const byLsid = new Map<string, string[]>();
  for (const e of events) byLsid.set(e.lsid, [...(byLsid.get(e.lsid) ?? []), e.uid]);
  const out: { uids: string[]; keyIds: string[] | undefined }[] = [];
  for (let i = 0; i < count; i++) {
    const key = await store.idempotency.find(tokenId, keyOf(i));
    out.push({
      uids: (byLsid.get(lsidOf(i)) ?? []).sort(),
      keyIds: key === undefined ? undefined : [...(JSON.parse(key.body).ids as string[])].sort(),
    });
  }
  return out;
}

function suite(backend: Backend) {
  it('SIGKILL during keyed ingest: each key with its events, or neither; a resend stores each once', async () => {
    const db = await backend.open();
    cleanups.push(() => db.cleanup());
    const env = { OUTBOUND_DATABASE_URL: db.url };
    const token = (await outbound(env, 'token', 'create', '--name', 'crash')).trim();
    const serve = new ServeProcess(await freePort(), env);
    cleanups.push(() => serve.close());
    serve.start();
    await serve.ready();

    // Eight clients send keyed requests until the kill; the kill comes at a random moment
    // after at least 40 acknowledgements, while requests are in flight.
    const random = prng(Number(process.env.CRASH_SEED ?? Date.now() % 100_000));
    const answers: Sent[] = [];
    let next = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const i = next++;
        answers[i] = await send(serve.url, token, i);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await waitUntil(() => answers.filter((a) => a?.status === 202).length >= 40, '40 acks');
    await sleep(Math.floor(random() * 30));
    await serve.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    const count = next;

    const [tokenRow] = await db.store.listTokens();
    const tokenId = (tokenRow as { id: number }).id;
    const after = await stored(db.store, tokenId, count);
    let lost = 0;
    for (const [i, s] of after.entries()) {
      // Together or not at all.
      if (s.keyIds === undefined) {
        expect(s.uids, `request ${i}: events without their key`).toEqual([]);
        lost++;
      } else {
        expect(s.uids, `request ${i}: the key's events`).toEqual(s.keyIds);
      }
      const answer = answers[i] as Sent;
      if (answer.status === 202) {
        expect(s.keyIds, `request ${i} was acknowledged`).toEqual(
          [...(answer.body?.ids ?? [])].sort(),
        );
      }
    }
    // The kill did interrupt something (else the test proves little): requests without answer.
    expect(answers.some((a) => a.status === 'no answer')).toBe(true);

    serve.start();
    await serve.ready();
    const resent = await Promise.all(
      Array.from({ length: count }, (_, i) => send(serve.url, token, i)),
    );
    for (const [i, answer] of resent.entries()) {
      expect(answer.status, `resend of ${i}`).toBe(202);
      const first = after[i]?.keyIds;
      if (first !== undefined) {
        expect(answer.replayed).toBe('true');
        expect([...(answer.body?.ids ?? [])].sort()).toEqual(first);
      }
    }
    const final = await stored(db.store, tokenId, count);
    for (const [i, s] of final.entries()) {
      expect(s.uids, `request ${i} stored once`).toHaveLength(PER_REQUEST);
      expect(s.uids).toEqual(s.keyIds);
    }
    expect(lost).toBeLessThanOrEqual(count);
    expect(serve.unexpectedExit).toBeUndefined();
  }, 120_000);
}

for (const backend of BACKENDS) describe(backend.name, () => suite(backend));
