/**
 * The Command API with legacy username/password parameters (the way a 2012-era ticketing
 * plugin calls `/api/command.ns`): an administrator granted the command API may change a
 * session, audited as `user:<name>`; one without the grant is refused before any action.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { NO_LOG } from '../../src/audit/index.js';
import { setLegacyApiAuth, setUserApiGrants } from '../../src/operations/api-accounts.js';
import { quickPasswordHash } from '../support/password.js';
import { startService, type TestService } from '../support/service.js';
import { COMMAND_NS, DECL, xmlSuccess } from './support.js';

const PASSWORD = 'correct horse battery';
let svc: TestService | undefined;

beforeEach(async () => {
  svc = await startService({ legacyApiAuth: true });
  const ctx = { store: svc.service.store, clock: () => Date.now() };
  const by = { actor: 'test', log: NO_LOG };
  for (const name of ['alice', 'bob']) {
    await svc.service.store.admin.createUser(name, await quickPasswordHash(PASSWORD), 0);
  }
  await setUserApiGrants(ctx, 'alice', { command: true }, by);
  await setUserApiGrants(ctx, 'bob', { reporting: true }, by);
  await setLegacyApiAuth(ctx, true, by);
});

afterEach(async () => {
  await svc?.stop();
  svc = undefined;
});

async function legacy(user: string, params: Record<string, string>) {
  const query = new URLSearchParams({ username: user, password: PASSWORD, ...params });
  const response = await fetch(`${svc?.url}/api/command.ns?${query}`);
  return { status: response.status, body: await response.text() };
}

it('a user granted the command API sets the external key, audited as user:<name>', async () => {
  const started = await svc?.api('POST', '/api/v1/sessions', {});
  const lsid = started?.body.lsid as string;
  const res = await legacy('alice', {
    action: 'set_session_attributes',
    lsid,
    'session.custom.external_key': 'CASE-77',
  });
  expect(res.status).toBe(200);
  expect(res.body).toBe(xmlSuccess('Session attributes were set'));
  expect((await svc?.api('GET', `/api/v1/sessions/${lsid}`))?.body.external_key).toBe('CASE-77');
  const [entry] = await (svc as TestService).service.store.admin.listAudit(1);
  expect([entry?.actor, entry?.action, entry?.target]).toEqual([
    'user:alice',
    'session.attributes',
    `session ${lsid}`,
  ]);
  const info = await legacy('alice', { action: 'get_api_info' });
  expect(info.body).toContain(`${DECL}<api_information xmlns="${COMMAND_NS}">`);
  expect(info.body).toContain(
    '<permission perm_name="perm_command" value="full" value_type="string"/>',
  );
});

it('a user without the command grant is refused, and the session is unchanged', async () => {
  const started = await svc?.api('POST', '/api/v1/sessions', {});
  const lsid = started?.body.lsid as string;
  const res = await legacy('bob', {
    action: 'set_session_attributes',
    lsid,
    'session.custom.external_key': 'CASE-78',
  });
  expect(res.body).toMatch(/^<\?xml[^>]*>\n<error xmlns="[^"]+">[^<]*Command API/);
  expect((await svc?.api('GET', `/api/v1/sessions/${lsid}`))?.body.external_key).toBeNull();
});
