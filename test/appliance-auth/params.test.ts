/**
 * The parameters of an appliance call: query string and form body merged (a name given twice:
 * the last), decoded strictly, bounded; the errors as XML in the route's namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PARAMS } from '../../src/appliance-api/params.js';
import { createApiAccount } from '../../src/operations/api-accounts.js';
import { BACKENDS } from '../store/backends.js';
import { BY, call, getToken, type Harness, startHarness } from './harness.js';

const [sqlite] = BACKENDS;

let h: Harness;
let token: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const db = await sqlite!.open();
  await db.store.migrate();
  h = await startHarness(db.store);
  cleanup = async () => {
    await h.close();
    await db.cleanup();
  };
  const { account, clientSecret } = await createApiAccount(
    h.ctx,
    { name: 'p', reporting: true, command: 'full' },
    BY,
  );
  token = await getToken(h.url, account.clientId, clientSecret);
});
afterAll(() => cleanup?.());

const params = async (path: string, body?: string) => {
  const answer = await call(h.url, path, { bearer: token, body });
  expect(answer.status, answer.text).toBe(200);
  return JSON.parse(answer.text).params as Record<string, string>;
};

describe('appliance parameters', () => {
  it('merges the query string and the form body; a repeated name keeps its last value', async () => {
    expect(
      await params('/probe/reporting?generate_report=SupportSession&lsid=a', 'lsid=b&duration=0'),
    ).toEqual({ generate_report: 'SupportSession', lsid: 'b', duration: '0' });
    expect(await params('/probe/command?action=x&action=y')).toEqual({ action: 'y' });
    // POST with the query string and an empty body, as a Python client sends it.
    expect(await params('/probe/command?action=get_api_info', '')).toEqual({
      action: 'get_api_info',
    });
    expect(await params('/probe/command?session.custom.note=caf%C3%A9+ol%C3%A9')).toEqual({
      'session.custom.note': 'café olé',
    });
  });

  it('refuses what it cannot read, as XML naming why', async () => {
    const broken = await call(h.url, '/probe/reporting?lsid=%zz', { bearer: token });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
    expect(broken.text).toContain('percent-encoding');
    const notUtf8 = await call(h.url, '/probe/command?action=%ff', { bearer: token });
    expect(notUtf8.status).toBe(400);
    const many = Array.from({ length: MAX_PARAMS + 1 }, (_, i) => `p${i}=1`).join('&');
    const tooMany = await call(h.url, '/probe/reporting', { bearer: token, body: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain(`at most ${MAX_PARAMS}`);
    const json = await fetch(`${h.url}/probe/reporting`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"lsid":"a"}',
    });
    expect(json.status).toBe(415);
  });
});
