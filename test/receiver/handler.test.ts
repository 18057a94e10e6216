import { describe, expect, it, vi } from 'vitest';
import { encodeEvent, type OutboundEvent } from '../../src/events/index.js';
import {
  createHandler,
  type HandlerOptions,
  MemorySeenStore,
  type ReceivedRequest,
  type ReceiverError,
  type SeenStore,
} from '../../src/receiver/index.js';
import { SAMPLE_EVENTS } from './events.js';
import { deferred, newId, OTHER_SECRET, SECRET, signed, sleep, TOKEN } from './requests.js';

const BEGIN = SAMPLE_EVENTS[0] as OutboundEvent;

/** A request as Outbound sends it: POST, form body, signed with SECRET. */
function outboundRequest(
  event: OutboundEvent | string = BEGIN,
  over: Partial<ReceivedRequest> & { id?: string } = {},
): ReceivedRequest {
  const body = typeof event === 'string' ? event : encodeEvent(event);
  return {
    method: 'POST',
    url: `/outbound?${new URLSearchParams({ outbound_event_token: TOKEN })}`,
    headers: signed(body, { id: over.id ?? newId() }),
    body,
    ...over,
  };
}

function handlerWith(options: Partial<HandlerOptions> = {}) {
  const errors: ReceiverError[] = [];
  const handled: OutboundEvent[] = [];
  const handler = createHandler({
    secret: SECRET,
    onError: (error) => errors.push(error),
    on: { default: (event) => void handled.push(event) },
    ...options,
  });
  return { handler, errors, handled };
}

describe('createHandler: dispatch', () => {
  it('calls the function named after the event, with the delivery context', async () => {
    const begin = vi.fn();
    const fallback = vi.fn();
    const { handler } = handlerWith({ on: { support_conference_begin: begin, default: fallback } });
    const request = outboundRequest(BEGIN, { id: 'evt_1' });
    expect(await handler.handle(request)).toMatchObject({ status: 200, body: 'ok' });
    expect(begin).toHaveBeenCalledWith(BEGIN, {
      id: 'evt_1',
      headers: request.headers,
      url: request.url,
    });
    expect(fallback).not.toHaveBeenCalled();
  });

  it('sends other events to default, and acknowledges events nobody handles', async () => {
    const fallback = vi.fn();
    const { handler } = handlerWith({
      on: { support_conference_end: () => {}, default: fallback },
    });
    await handler.handle(outboundRequest(SAMPLE_EVENTS[2]));
    expect(fallback).toHaveBeenCalledWith(SAMPLE_EVENTS[2], expect.anything());
    const bare = createHandler({ secret: SECRET, on: {} });
    expect((await bare.handle(outboundRequest())).status).toBe(200);
  });

  it('the alias key receives the representative exit survey, sent under either name', async () => {
    const survey = vi.fn();
    const { handler } = handlerWith({
      on: { support_conference_rep_exit_survey_completed: survey },
    });
    const guide = SAMPLE_EVENTS.at(-1) as OutboundEvent;
    await handler.handle(outboundRequest(guide));
    const aliasBody = encodeEvent(guide).replace(
      'support_conference_representative_exit_survey_completed',
      'support_conference_rep_exit_survey_completed',
    );
    await handler.handle(outboundRequest(aliasBody));
    expect(survey).toHaveBeenCalledTimes(2);
    expect(survey.mock.calls.map(([event]) => event)).toEqual([guide, guide]);
  });

  it('refuses misspelt or doubled handlers at creation', () => {
    const on = { support_conference_start: () => {} } as unknown as HandlerOptions['on'];
    expect(() => createHandler({ on })).toThrow(/no such schema-1 event/);
    expect(() =>
      createHandler({
        on: {
          support_conference_rep_exit_survey_completed: () => {},
          support_conference_representative_exit_survey_completed: () => {},
        },
      }),
    ).toThrow(/two handlers/);
    expect(() => createHandler({ on: { default: 'x' as never } })).toThrow(TypeError);
  });

  it('refuses bad configuration at creation', () => {
    expect(() => createHandler({ secret: 'whsec_***', on: {} })).toThrow(/whsec_/);
    expect(() => createHandler({ token: '', on: {} })).toThrow(TypeError);
    expect(() => createHandler({ maxBodyBytes: 0, on: {} })).toThrow(TypeError);
  });
});

describe('createHandler: answers', () => {
  it('405 with Allow for anything but POST', async () => {
    const { handler, handled } = handlerWith();
    const response = await handler.handle(outboundRequest(BEGIN, { method: 'GET' }));
    expect(response).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect(handled).toEqual([]);
  });

  it('400 naming the field for a malformed event (signed, so the body is what was sent)', async () => {
    const { handler, errors } = handlerWith();
    const response = await handler.handle(
      outboundRequest('event=support_conference_end&version=1&timestamp=1'),
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/lsid/);
    expect(errors.map((e) => e.code)).toEqual(['OUTBOUND_MALFORMED_EVENT']);
  });

  it('lenient mode accepts unknown variables', async () => {
    const body = `${encodeEvent(BEGIN)}&newer=1`;
    expect((await handlerWith().handler.handle(outboundRequest(body))).status).toBe(400);
    const { handler, handled } = handlerWith({ mode: 'lenient' });
    expect((await handler.handle(outboundRequest(body))).status).toBe(200);
    expect(handled).toEqual([BEGIN]);
  });

  it('401 for a bad or missing signature, before the body is parsed', async () => {
    const { handler, handled, errors } = handlerWith();
    const request = outboundRequest();
    const bad = await handler.handle({ ...request, body: `${request.body as string}x` });
    const missing = await handler.handle({ ...request, headers: {} });
    const garbage = await handler.handle({ ...request, headers: {}, body: '%%%' });
    expect([bad.status, missing.status, garbage.status]).toEqual([401, 401, 401]);
    expect(errors.map((e) => e.code)).toEqual([
      'OUTBOUND_INVALID_SIGNATURE',
      'OUTBOUND_MISSING_SIGNATURE',
      'OUTBOUND_MISSING_SIGNATURE',
    ]);
    expect(handled).toEqual([]);
  });

  it('accepts either secret during a rotation', async () => {
    const { handler } = handlerWith({ secret: [OTHER_SECRET, SECRET] });
    expect((await handler.handle(outboundRequest())).status).toBe(200);
  });

  it('500 when the handler throws or rejects, without leaking its message', async () => {
    const { handler, errors } = handlerWith({
      on: {
        support_conference_begin: () => {
          throw new Error('db password is hunter2');
        },
        support_conference_end: () => Promise.reject(Object.create(null)),
      },
    });
    const thrown = await handler.handle(outboundRequest());
    const rejected = await handler.handle(outboundRequest(SAMPLE_EVENTS[6]));
    expect([thrown.status, rejected.status]).toEqual([500, 500]);
    expect(thrown.body).toBe('handler failed');
    expect(errors[0]).toMatchObject({
      code: 'OUTBOUND_HANDLER_FAILED',
      message: 'handler failed: db password is hunter2',
    });
    expect((errors[0]?.cause as Error | undefined)?.message).toBe('db password is hunter2');
  });

  it('answers only after the handler’s promise resolves', async () => {
    const gate = deferred();
    const { handler } = handlerWith({ on: { default: () => gate.promise } });
    let answered = false;
    const answer = handler.handle(outboundRequest()).then((r) => {
      answered = true;
      return r;
    });
    await sleep(30);
    expect(answered).toBe(false);
    gate.resolve();
    expect((await answer).status).toBe(200);
  });

  it('an onError that throws does not change the answer; the default logs only 5xx', async () => {
    const throwing = createHandler({
      onError: () => {
        throw new Error('x');
      },
      on: {},
    });
    expect((await throwing.handle(outboundRequest())).status).toBe(200);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const quiet = createHandler({
        secret: SECRET,
        on: {
          support_conference_end: () => {
            throw new Error('boom');
          },
        },
      });
      await quiet.handle(outboundRequest('event=nope'));
      expect(log).not.toHaveBeenCalled();
      await quiet.handle(outboundRequest(SAMPLE_EVENTS[6]));
      expect(log).toHaveBeenCalledTimes(1);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/OUTBOUND_HANDLER_FAILED/);
    } finally {
      log.mockRestore();
    }
  });
});

describe('createHandler: token in the URL', () => {
  const url = (query: string) => `/outbound${query}`;
  const handler = createHandler({ token: [TOKEN, 'a+b/c'], on: {} });

  it.each([
    ['the token', `?outbound_event_token=${TOKEN}&appliance_id=7`, 200],
    ['the second token, percent-encoded', '?outbound_event_token=a%2Bb%2Fc', 200],
    ['no token', '?appliance_id=7', 401],
    ['no query at all', '', 401],
    ['a wrong token', '?outbound_event_token=tok-3f9b', 401],
    ['a prefix of the token', '?outbound_event_token=tok', 401],
    ['an empty token', '?outbound_event_token=', 401],
    ['the token twice', `?outbound_event_token=${TOKEN}&outbound_event_token=${TOKEN}`, 401],
  ])('%s → %i', async (_what, query, status) => {
    const body = encodeEvent(BEGIN);
    const response = await handler.handle({ method: 'POST', url: url(query), headers: {}, body });
    expect(response.status).toBe(status);
  });

  it('works with an absolute URL (fetch adapters)', async () => {
    const body = encodeEvent(BEGIN);
    const response = await handler.handle({
      method: 'POST',
      url: `https://receiver.example/outbound?outbound_event_token=${TOKEN}`,
      headers: {},
      body,
    });
    expect(response.status).toBe(200);
  });
});

describe('createHandler: a body a framework already parsed', () => {
  const parsed = { ...encodedFields(BEGIN) };

  it('is used when no secret is set (token-only receivers)', async () => {
    const { handler, handled } = handlerWith({ secret: undefined });
    expect((await handler.handle({ ...outboundRequest(), body: parsed })).status).toBe(200);
    expect(
      (await handler.handle({ ...outboundRequest(), body: new URLSearchParams(parsed) })).status,
    ).toBe(200);
    expect(handled).toEqual([BEGIN, BEGIN]);
  });

  it('is refused with 400 when a value is not a string (repeated or nested variables)', async () => {
    const { handler } = handlerWith({ secret: undefined });
    for (const body of [
      { ...parsed, lsid: ['1', '2'] },
      { ...parsed, lsid: { a: '1' } },
    ]) {
      expect((await handler.handle({ ...outboundRequest(), body })).status).toBe(400);
    }
  });

  it('is refused with 500 when a secret is set: the signature covers the raw bytes', async () => {
    const { handler, errors } = handlerWith();
    const response = await handler.handle({ ...outboundRequest(), body: parsed });
    expect(response.status).toBe(500);
    expect(response.body).toMatch(/before body parsers/);
    expect(errors[0]?.code).toBe('OUTBOUND_RAW_BODY_UNAVAILABLE');
  });
});

describe('createHandler: idempotency by webhook-id', () => {
  it('a re-sent event after success is answered 200 without running the handler again', async () => {
    const { handler, handled } = handlerWith({ seen: new MemorySeenStore() });
    const request = outboundRequest(BEGIN, { id: 'evt_dup' });
    expect((await handler.handle(request)).body).toBe('ok');
    const again = await handler.handle(outboundRequest(BEGIN, { id: 'evt_dup' }));
    expect(again).toMatchObject({ status: 200, body: 'ok (already handled)' });
    expect(handled).toHaveLength(1);
  });

  it('an event whose handler threw is not marked seen: the retry runs it', async () => {
    let failures = 1;
    const calls = vi.fn(() => {
      if (failures-- > 0) throw new Error('database down');
    });
    const { handler } = handlerWith({ seen: new MemorySeenStore(), on: { default: calls } });
    expect((await handler.handle(outboundRequest(BEGIN, { id: 'evt_retry' }))).status).toBe(500);
    expect((await handler.handle(outboundRequest(BEGIN, { id: 'evt_retry' }))).status).toBe(200);
    expect((await handler.handle(outboundRequest(BEGIN, { id: 'evt_retry' }))).status).toBe(200);
    expect(calls).toHaveBeenCalledTimes(2);
  });

  it('a retry that overtakes a slow attempt gets 409, and the handler runs once', async () => {
    const gate = deferred();
    const calls = vi.fn(() => gate.promise);
    const { handler } = handlerWith({ seen: new MemorySeenStore(), on: { default: calls } });
    const first = handler.handle(outboundRequest(BEGIN, { id: 'evt_slow' }));
    await sleep(10);
    const overtaking = await handler.handle(outboundRequest(BEGIN, { id: 'evt_slow' }));
    expect(overtaking.status).toBe(409);
    gate.resolve();
    expect((await first).status).toBe(200);
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('without a webhook-id (token-only sender) every delivery runs the handler', async () => {
    const { handler, handled } = handlerWith({ secret: undefined, seen: new MemorySeenStore() });
    const request = { ...outboundRequest(), headers: {} };
    await handler.handle(request);
    await handler.handle(request);
    expect(handled).toHaveLength(2);
  });

  it('a seen-store that fails to claim gives 500 (retry); one that fails to record still 200', async () => {
    const failing = (step: 'claim' | 'complete'): SeenStore => {
      const store = new MemorySeenStore();
      const fail = () => Promise.reject(new Error(`${step} failed`));
      return {
        claim: (id) => (step === 'claim' ? fail() : store.claim(id)),
        complete: (id) => (step === 'complete' ? fail() : store.complete(id)),
        release: (id) => store.release(id),
      };
    };
    const claim = handlerWith({ seen: failing('claim') });
    expect((await claim.handler.handle(outboundRequest())).status).toBe(500);
    expect(claim.handled).toEqual([]);
    expect(claim.errors[0]?.code).toBe('OUTBOUND_SEEN_STORE_FAILED');
    const complete = handlerWith({ seen: failing('complete') });
    expect((await complete.handler.handle(outboundRequest())).status).toBe(200);
    expect(complete.errors.map((e) => e.code)).toEqual(['OUTBOUND_SEEN_STORE_FAILED']);
  });
});

function encodedFields(event: OutboundEvent): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(encodeEvent(event)));
}
