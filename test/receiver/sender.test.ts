import { afterEach, describe, expect, it } from 'vitest';
import { HttpSender } from '../../src/delivery/http-sender.js';
import { encodeEvent, type OutboundEvent } from '../../src/events/index.js';
import { createHandler, MemorySeenStore, type ReceiverError } from '../../src/receiver/index.js';
import type { Recipient } from '../../src/types.js';
import { storedRecipient } from '../support/recipient.js';
import { SAMPLE_EVENTS } from './events.js';
import { OTHER_SECRET, SECRET } from './requests.js';
import { ADAPTERS, Servers } from './servers.js';

const servers = new Servers();
const senders: HttpSender[] = [];
afterEach(async () => {
  await Promise.all(senders.splice(0).map((s) => s.close()));
  await servers.closeAll();
});

// Characters a form or URL would mangle if either side decoded the query differently.
const TOKEN = 'k+y/z=1 &ü';
const QUERY = `?outbound_event_token=${encodeURIComponent(TOKEN)}&appliance_id=7`;

function recipient(url: string, secret: string, over: Partial<Recipient> = {}): Recipient {
  return storedRecipient({ id: 1, name: 'receiver-sdk', url, secret, ...over });
}

function sender(): HttpSender {
  const s = new HttpSender();
  senders.push(s);
  return s;
}

for (const [name, adapter] of Object.entries(ADAPTERS)) {
  describe(`Outbound's HttpSender → createHandler (${name})`, () => {
    it('every event, signed and with the token in the URL, is accepted and parsed as sent', async () => {
      const handled: OutboundEvent[] = [];
      const errors: ReceiverError[] = [];
      const handler = createHandler({
        secret: SECRET,
        token: TOKEN,
        seen: new MemorySeenStore(),
        onError: (e) => errors.push(e),
        on: { default: (event) => void handled.push(event) },
      });
      const served = await servers.start(adapter, handler);
      const to = recipient(`${served.url}${QUERY}`, SECRET);
      const http = sender();
      for (const [n, event] of SAMPLE_EVENTS.entries()) {
        const result = await http.send(to, { eventUid: `evt_${n}`, body: encodeEvent(event) });
        expect(result).toMatchObject({ ok: true, status: 200 });
      }
      // A re-send of an event (same id) is acknowledged without running the handler again.
      const again = await http.send(to, {
        eventUid: 'evt_0',
        body: encodeEvent(SAMPLE_EVENTS[0]!),
      });
      expect(again.status).toBe(200);
      expect(handled).toEqual(SAMPLE_EVENTS);
      expect(errors).toEqual([]);
    });

    it('a delivery signed with another secret, or to a URL without the token, gets 401', async () => {
      const handler = createHandler({ secret: SECRET, token: TOKEN, onError: () => {}, on: {} });
      const served = await servers.start(adapter, handler);
      const body = encodeEvent(SAMPLE_EVENTS[0]!);
      const wrongSecret = await sender().send(recipient(`${served.url}${QUERY}`, OTHER_SECRET), {
        eventUid: 'evt_a',
        body,
      });
      const noToken = await sender().send(recipient(served.url, SECRET), {
        eventUid: 'evt_b',
        body,
      });
      expect([wrongSecret.status, noToken.status]).toEqual([401, 401]);
      expect(wrongSecret.ok).toBe(false);
    });
  });
}

describe("Outbound's HttpSender during a secret rotation", () => {
  it('signs with both secrets; a receiver holding either one, or both, accepts', async () => {
    const body = encodeEvent(SAMPLE_EVENTS[0]!);
    const http = sender();
    for (const [n, secret] of [OTHER_SECRET, SECRET, [SECRET, OTHER_SECRET]].entries()) {
      const handler = createHandler({ secret, on: {} });
      const served = await servers.start(ADAPTERS['node:http']!, handler);
      const rotating = recipient(served.url, SECRET, {
        id: 10 + n,
        previousSecret: OTHER_SECRET,
        previousSecretExpiresAt: Date.now() + 60_000,
      });
      const result = await http.send(rotating, { eventUid: `evt_rot_${n}`, body });
      expect(result.status).toBe(200);
    }
  });
});
