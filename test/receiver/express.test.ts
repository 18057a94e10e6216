import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEvent, type OutboundEvent } from '../../src/events/index.js';
import {
  createHandler,
  type HandlerOptions,
  type ReceiverError,
} from '../../src/receiver/index.js';
import { SAMPLE_EVENTS } from './events.js';
import { FORM, post, SECRET, signed, TOKEN } from './requests.js';
import { Servers, serveNode } from './servers.js';

const servers = new Servers();
afterEach(() => servers.closeAll());

const BEGIN = SAMPLE_EVENTS[1] as OutboundEvent;
const BODY = encodeEvent(BEGIN);

/** An Express app built by `mount`, with a handler recording events and errors. */
async function app(
  options: Partial<HandlerOptions>,
  mount: (app: express.Express, h: express.RequestHandler) => void,
) {
  const handled: OutboundEvent[] = [];
  const errors: ReceiverError[] = [];
  const handler = createHandler({
    onError: (error) => errors.push(error),
    on: { default: (event) => void handled.push(event) },
    ...options,
  });
  const application = express();
  mount(application, handler.toExpress());
  const served = servers.add(await serveNode(application));
  return { base: served.url.replace(/\/outbound$/, ''), handled, errors };
}

describe('toExpress after express.urlencoded()', () => {
  it('uses the parsed form when no secret is set (token-only receivers)', async () => {
    const { base, handled } = await app({ token: TOKEN }, (a, h) => {
      a.use(express.urlencoded({ extended: false }));
      a.post('/outbound', h);
    });
    const response = await post(`${base}/outbound?outbound_event_token=${TOKEN}`, BODY, FORM);
    expect(response.status).toBe(200);
    expect(handled).toEqual([BEGIN]);
  });

  it('refuses with 500 and says why when a secret is set: the raw bytes are gone', async () => {
    const { base, handled, errors } = await app({ secret: SECRET }, (a, h) => {
      a.use(express.urlencoded({ extended: true }));
      a.post('/outbound', h);
    });
    const response = await post(`${base}/outbound`, BODY, signed(BODY));
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/before body parsers|express\.raw/);
    expect(errors.map((e) => e.code)).toEqual(['OUTBOUND_RAW_BODY_UNAVAILABLE']);
    expect(handled).toEqual([]);
  });

  it('works with a secret when the route comes before the parser', async () => {
    const { base, handled } = await app({ secret: SECRET }, (a, h) => {
      a.post('/outbound', h);
      a.use(express.urlencoded({ extended: false }));
    });
    expect((await post(`${base}/outbound`, BODY, signed(BODY))).status).toBe(200);
    expect(handled).toEqual([BEGIN]);
  });

  it('works with express.raw() on its route, declared before the app-wide parser', async () => {
    const { base, handled } = await app({ secret: SECRET }, (a, h) => {
      a.post('/outbound', express.raw({ type: () => true }), h);
      a.use(express.urlencoded({ extended: false }));
      a.post('/other', (req, res) => void res.json(req.body));
    });
    expect((await post(`${base}/outbound`, BODY, signed(BODY))).status).toBe(200);
    expect(await (await post(`${base}/other`, 'a=1', FORM)).json()).toEqual({ a: '1' });
    expect(handled).toEqual([BEGIN]);
  });
});

describe('toExpress after a parser that skipped the request', () => {
  it('reads the unread stream even if req.body was preset (body-parser 1.x sets {})', async () => {
    const { base, handled } = await app({ secret: SECRET }, (a, h) => {
      a.use((req, _res, next) => {
        req.body = {};
        next();
      });
      a.use(express.json());
      a.post('/outbound', h);
    });
    expect((await post(`${base}/outbound`, BODY, signed(BODY))).status).toBe(200);
    expect(handled).toEqual([BEGIN]);
  });

  it('refuses with 500 when something consumed the stream and left no body', async () => {
    const { base, errors } = await app({ secret: SECRET }, (a, h) => {
      a.use((req, _res, next) => {
        req.resume();
        req.on('end', () => next());
      });
      a.post('/outbound', h);
    });
    expect((await post(`${base}/outbound`, BODY, signed(BODY))).status).toBe(500);
    expect(errors.map((e) => e.code)).toEqual(['OUTBOUND_RAW_BODY_UNAVAILABLE']);
  });
});

describe('toExpress mounted with app.use under a path', () => {
  it('reads the token from the original URL and answers every method itself', async () => {
    const { base, handled } = await app({ secret: SECRET, token: TOKEN }, (a, h) => {
      a.use('/hooks/outbound', h);
    });
    const url = `${base}/hooks/outbound?outbound_event_token=${TOKEN}&appliance_id=7`;
    expect((await post(url, BODY, signed(BODY))).status).toBe(200);
    expect((await fetch(url)).status).toBe(405);
    expect(handled).toEqual([BEGIN]);
  });
});
