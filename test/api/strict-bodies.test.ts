/**
 * An attacker's bodies against a real service (its own SQLite store), injected in-process:
 * none is stored "repaired" (U+FFFD, a dropped key, a coerced type); each gets a 4xx naming
 * what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService } from '../support/service.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc?.stop();
});

const FORM = 'application/x-www-form-urlencoded';
const BEGIN = 'event=support_conference_begin&version=1&timestamp=1700000000&lsid=42';

async function send(
  method: 'POST' | 'PATCH',
  url: string,
  payload: string | Buffer,
  contentType: string,
  auth = true,
) {
  const response = await svc.service.app.inject({
    method,
    url,
    payload,
    headers: {
      'content-type': contentType,
      ...(auth ? { authorization: `Bearer ${svc.token}` } : {}),
    },
  });
  let body: any = response.body;
  try {
    body = response.json();
  } catch {
    // an HTML page
  }
  return { status: response.statusCode, body };
}

const json = (url: string, value: unknown, method: 'POST' | 'PATCH' = 'POST') =>
  send(method, url, JSON.stringify(value), 'application/json');

describe('form bodies on POST /api/v1/events', () => {
  it.each([
    ['%zz', 'percent-encoding'],
    ['%4', 'percent-encoding'],
    ['%ff', 'not valid UTF-8'],
    ['%C3%28', 'not valid UTF-8'],
  ])('refuses lsid=%s with a 400 naming lsid', async (value, words) => {
    const res = await send(
      'POST',
      '/api/v1/events',
      `event=support_conference_begin&lsid=${value}`,
      FORM,
    );
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('lsid');
    expect(res.body.message).toContain(words);
  });

  it('refuses raw bytes that are not UTF-8', async () => {
    const payload = Buffer.concat([
      Buffer.from('event=support_conference_begin&lsid=a'),
      Buffer.from([0xff, 0xfe]),
    ]);
    const res = await send('POST', '/api/v1/events', payload, FORM);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not valid UTF-8/);
  });

  it('refuses __proto__ and NUL', async () => {
    const proto = await send('POST', '/api/v1/events', `${BEGIN}&__proto__=x`, FORM);
    expect(proto).toMatchObject({
      status: 400,
      body: { field: '__proto__', message: '"__proto__" is not allowed as a field name' },
    });
    const nul = await send('POST', '/api/v1/events', `${BEGIN}&external_key=a%00`, FORM);
    expect(nul).toMatchObject({ status: 400, body: { field: 'external_key' } });
  });

  it('accepts a valid form, with or without charset=utf-8; refuses another charset', async () => {
    for (const type of [FORM, `${FORM}; charset=UTF-8`]) {
      expect((await send('POST', '/api/v1/events', BEGIN, type)).status, type).toBe(202);
    }
    const latin1 = await send('POST', '/api/v1/events', BEGIN, `${FORM}; charset=iso-8859-1`);
    expect(latin1.status).toBe(415);
    expect(latin1.body.message).toContain('iso-8859-1');
  });
});

describe('JSON bodies', () => {
  const event = { event: 'support_conference_begin', lsid: '42' };

  it.each([
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=UTF-16LE',
    'application/json;charset="iso-8859-1"',
  ])('415 for %s', async (type) => {
    const res = await send('POST', '/api/v1/events', JSON.stringify(event), type);
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('unsupported_media_type');
    expect(res.body.message).toMatch(/UTF-8/);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset="utf-8"',
  ])('202 for %s', async (type) => {
    const res = await send('POST', '/api/v1/events', JSON.stringify(event), type);
    expect(res.status).toBe(202);
  });

  it('400 for raw bytes that are not UTF-8 inside a JSON string', async () => {
    const payload = Buffer.concat([
      Buffer.from('{"event":"support_conference_begin","lsid":"a'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const res = await send('POST', '/api/v1/events', payload, 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/not valid UTF-8/);
  });

  it('names __proto__ wherever it is, and constructor.prototype', async () => {
    const cases: [string, string, string][] = [
      [
        '/api/v1/events',
        '{"event":"support_conference_begin","lsid":"1","__proto__":{}}',
        '__proto__',
      ],
      [
        '/api/v1/events',
        '[{"event":"support_conference_begin","lsid":"1"},{"\\u005f_proto__":{"x":1}}]',
        '[1].__proto__',
      ],
      ['/api/v1/sessions', '{"owner":{"__proto__":{"polluted":true}}}', 'owner.__proto__'],
      [
        '/api/v1/recipients',
        '{"name":"x","url":"http://h/","headers":{"__proto__":"1"}}',
        'headers.__proto__',
      ],
    ];
    for (const [url, payload, field] of cases) {
      const res = await send('POST', url, payload, 'application/json');
      expect(res, payload).toMatchObject({
        status: 400,
        body: {
          error: 'bad_request',
          field,
          message: '"__proto__" is not allowed as a field name',
        },
      });
    }
    const ctor = await send(
      'POST',
      '/api/v1/events',
      '{"event":"support_conference_begin","lsid":"1","constructor":{"prototype":{"x":1}}}',
      'application/json',
    );
    expect(ctor).toMatchObject({
      status: 400,
      body: {
        field: 'constructor.prototype',
        message: '"constructor.prototype" is not allowed as a field name',
      },
    });
    // A key merely named constructor is just an unknown field.
    const plain = await json('/api/v1/events', { ...event, constructor: 1 });
    expect(plain).toMatchObject({ status: 400, body: { field: 'constructor' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a JSON string is not read as a form body', async () => {
    const res = await json('/api/v1/events', BEGIN);
    expect(res.status).toBe(400);
  });

  it('version and timestamp must be JSON numbers', async () => {
    const version = await json('/api/v1/events', { ...event, version: '1' });
    expect(version).toMatchObject({ status: 400, body: { field: 'version' } });
    const ts = await json('/api/v1/events', { ...event, timestamp: '1700000000' });
    expect(ts).toMatchObject({ status: 400, body: { field: 'timestamp' } });
    const float = await json('/api/v1/events', { ...event, timestamp: 1700000000.5 });
    expect(float).toMatchObject({ status: 400, body: { field: 'timestamp' } });
    const ok = await json('/api/v1/events', { ...event, version: 1, timestamp: 1700000000 });
    expect(ok.status).toBe(202);
  });

  it('conference_id must be rep:N, team:N or general, in events and sessions', async () => {
    const bad = await json('/api/v1/events', {
      event: 'support_conference_owner_changed',
      lsid: '1',
      conference_id: 'bob',
      conference_name: 'Bob',
    });
    expect(bad).toMatchObject({ status: 400, body: { field: 'conference_id' } });
    const session = await json('/api/v1/sessions', {
      owner: { conference_id: 'rep:007', conference_name: 'Bond' },
    });
    expect(session).toMatchObject({ status: 400, body: { field: 'owner.conference_id' } });
    const created = await json('/api/v1/sessions', {});
    expect(created.status).toBe(201);
    const lsid = created.body.lsid as string;
    const owner = await json(`/api/v1/sessions/${lsid}/owner`, {
      conference_id: 'team:x',
      conference_name: 'X',
    });
    expect(owner).toMatchObject({ status: 400, body: { field: 'conference_id' } });
    // A representative's user_id becomes the owner rep:<user_id>: it must fit that form.
    const member = await json(`/api/v1/sessions/${lsid}/members`, {
      type: 'representative',
      display_name: 'Ann',
      user_id: 'ann',
      username: 'ann',
    });
    expect(member).toMatchObject({ status: 400, body: { field: 'user_id' } });
    const nul = await json(`/api/v1/sessions/${lsid}/members`, {
      type: 'customer',
      display_name: 'A\u0000',
    });
    expect(nul).toMatchObject({ status: 400, body: { field: 'display_name' } });
  });
});

describe('recipients: names and headers', () => {
  const base = { url: 'http://127.0.0.1:9/' };
  let n = 0;
  const create = (extra: Record<string, unknown>) =>
    json('/api/v1/recipients', { name: `r${++n}`, ...base, ...extra });

  it('refuses NUL in the name', async () => {
    const res = await json('/api/v1/recipients', { ...base, name: 'a\u0000b' });
    expect(res).toMatchObject({ status: 400, body: { field: 'name' } });
  });

  it('caps each header value at 8 KiB, naming the header', async () => {
    expect((await create({ headers: { 'X-Big': 'v'.repeat(8192) } })).status).toBe(201);
    const big = await create({ headers: { 'X-Big': 'v'.repeat(8193) } });
    expect(big).toMatchObject({ status: 400, body: { field: 'headers.X-Big' } });
    expect(big.body.message).toContain('8192');
  });

  it('refuses values a request cannot carry, and NUL, naming the header', async () => {
    for (const value of ['a\u0000b', '日本', 'a\u0001b', 'a\u007fb', 'a\r\nX-Evil: 1']) {
      const res = await create({ headers: { 'X-Key': value } });
      expect(res, JSON.stringify(value)).toMatchObject({
        status: 400,
        body: { field: 'headers.X-Key' },
      });
    }
    expect((await create({ headers: { 'X-Key': 'é\tok' } })).status).toBe(201);
  });

  it('refuses invalid names and too many headers', async () => {
    const badName = await create({ headers: { 'X Key': '1' } });
    expect(badName).toMatchObject({ status: 400, body: { field: 'headers.X Key' } });
    const longName = await create({ headers: { [`X-${'n'.repeat(300)}`]: '1' } });
    expect(longName.status).toBe(400);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-H${i}`, '1']));
    const tooMany = await create({ headers: many });
    expect(tooMany).toMatchObject({ status: 400, body: { field: 'headers' } });
    expect(tooMany.body.message).toContain('50');
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`X-H${i}`, '1']));
    expect((await create({ headers: fifty })).status).toBe(201);
  });

  it('applies the same checks on PATCH', async () => {
    const made = await create({});
    expect(made.status).toBe(201);
    const res = await json(
      `/api/v1/recipients/${made.body.id}`,
      { headers: { 'X-Big': 'v'.repeat(9000) } },
      'PATCH',
    );
    expect(res).toMatchObject({ status: 400, body: { field: 'headers.X-Big' } });
  });
});

describe('admin forms', () => {
  it.each([
    ['username=%ff&password=x', 'not valid UTF-8'],
    ['username=a%zz&password=x', 'percent-encoding'],
    ['username=a&password=x&__proto__=1', '__proto__'],
  ])('POST /login with %s is a 400', async (payload, words) => {
    const res = await send('POST', '/login', payload, FORM, false);
    expect(res.status).toBe(400);
    expect(res.body).toContain(words);
  });

  it('a multipart form is held to the same rules', async () => {
    const boundary = 'b0undary';
    const part = (name: string, value: Buffer | string) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n`),
        Buffer.from(value),
        Buffer.from('\r\n'),
      ]);
    const multipart = (...parts: Buffer[]) =>
      send(
        'POST',
        '/login',
        Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
        `multipart/form-data; boundary=${boundary}`,
        false,
      );
    const badBytes = await multipart(
      part('username', Buffer.from([0x61, 0xff])),
      part('password', 'x'),
    );
    expect(badBytes.status).toBe(400);
    expect(badBytes.body).toContain('username is not valid UTF-8');
    const proto = await multipart(
      part('username', 'a'),
      part('password', 'x'),
      part('__proto__', '1'),
    );
    expect(proto.status).toBe(400);
    // A U+FFFD the user really typed is kept (a wrong password here, not a 400).
    const typed = await multipart(part('username', 'a\uFFFD'), part('password', 'x'));
    expect(typed.status).toBe(401);
  });

  it('POST /login with raw bytes that are not UTF-8 is a 400', async () => {
    const payload = Buffer.concat([
      Buffer.from('username=a'),
      Buffer.from([0xff]),
      Buffer.from('&password=x'),
    ]);
    const res = await send('POST', '/login', payload, FORM, false);
    expect(res.status).toBe(400);
  });
});
