import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeEvent, type OutboundEvent } from '../../src/events/index.js';
import { createHandler, type HandlerOptions, MemorySeenStore } from '../../src/receiver/index.js';
import { SAMPLE_EVENTS } from './events.js';
import { deferred, deliver, FORM, newId, post, SECRET, signed, sleep, TOKEN } from './requests.js';
import { ADAPTERS, Servers } from './servers.js';

const servers = new Servers();
afterEach(() => servers.closeAll());

const BEGIN = SAMPLE_EVENTS[0] as OutboundEvent;

for (const [name, adapter] of Object.entries(ADAPTERS)) {
  describe(`adapter: ${name}`, () => {
    /** Starts `options` behind this adapter; the handler records every event it gets. */
    async function start(options: Partial<HandlerOptions> = {}) {
      const handled: OutboundEvent[] = [];
      const handler = createHandler({
        secret: SECRET,
        onError: () => {},
        on: { default: (event) => void handled.push(event) },
        ...options,
      });
      const served = await servers.start(adapter, handler);
      return { url: served.url, handled };
    }

    it('200 for every event, parsed as sent', async () => {
      const { url, handled } = await start();
      for (const event of SAMPLE_EVENTS) expect((await deliver(url, event)).status).toBe(200);
      expect(handled).toEqual(SAMPLE_EVENTS);
    });

    it('answers 200 only after the handler’s promise resolves', async () => {
      const gate = deferred();
      const entered = deferred();
      const { url } = await start({
        on: {
          default: () => {
            entered.resolve();
            return gate.promise;
          },
        },
      });
      let answered = false;
      const response = deliver(url, BEGIN).then((r) => {
        answered = true;
        return r;
      });
      await entered.promise;
      await sleep(50);
      expect(answered).toBe(false);
      gate.resolve();
      expect((await response).status).toBe(200);
    });

    it('500 when the handler throws, so that Outbound retries', async () => {
      const { url } = await start({
        on: {
          default: async () => {
            throw new Error('boom');
          },
        },
      });
      const response = await deliver(url, BEGIN);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('handler failed');
    });

    it('400 for a malformed event', async () => {
      const { url, handled } = await start();
      const body = 'event=support_conference_begin&version=1&timestamp=soon&lsid=1';
      const response = await post(url, body, signed(body));
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/timestamp/);
      expect(handled).toEqual([]);
    });

    it('401 for a bad signature', async () => {
      const { url, handled } = await start();
      const body = encodeEvent(BEGIN);
      const headers = signed(body);
      expect((await post(url, body.replace('42', '43'), headers)).status).toBe(401);
      expect((await post(url, body, FORM)).status).toBe(401);
      expect(handled).toEqual([]);
    });

    it('401 for a missing or wrong token; 200 with it', async () => {
      const { url } = await start({ token: TOKEN });
      const body = encodeEvent(BEGIN);
      expect((await post(url, body, signed(body))).status).toBe(401);
      expect((await post(`${url}?outbound_event_token=nope`, body, signed(body))).status).toBe(401);
      expect((await post(`${url}?outbound_event_token=${TOKEN}`, body, signed(body))).status).toBe(
        200,
      );
    });

    it('405 for a GET', async () => {
      const { url } = await start();
      const response = await fetch(url);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    });

    it('the same webhook-id twice runs the handler once; both get 200', async () => {
      const calls = vi.fn();
      const { url } = await start({ seen: new MemorySeenStore(), on: { default: calls } });
      const id = newId();
      expect((await deliver(url, BEGIN, id)).status).toBe(200);
      expect((await deliver(url, BEGIN, id)).status).toBe(200);
      expect(calls).toHaveBeenCalledTimes(1);
    });

    it('a failed event is not marked seen: the retry runs the handler', async () => {
      let fail = true;
      const calls = vi.fn(() => {
        if (fail) throw new Error('first attempt fails');
      });
      const { url } = await start({ seen: new MemorySeenStore(), on: { default: calls } });
      const id = newId();
      expect((await deliver(url, BEGIN, id)).status).toBe(500);
      fail = false;
      expect((await deliver(url, BEGIN, id)).status).toBe(200);
      expect(calls).toHaveBeenCalledTimes(2);
    });

    it('413 for a body over maxBodyBytes', async () => {
      const { url, handled } = await start({ maxBodyBytes: 1024 });
      const body = `${encodeEvent(BEGIN)}&x=${'a'.repeat(2000)}`;
      expect((await post(url, body, signed(body))).status).toBe(413);
      expect(handled).toEqual([]);
    });
  });
}
