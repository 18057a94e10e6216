/**
 * End to end with a real PHP client: a session-end handler (php/session-end-handler.php,
 * served by PHP's built-in web server on loopback) receives the outbound events through
 * $_POST and, on support_conference_end, takes an OAuth2 token and fetches the session's
 * report at once, reading it with DOM. It finds the session complete, end_time included.
 * Needs Debian's php-cli and php-xml (.ci/run installs them); without them the test fails
 * saying so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { NO_LOG } from '../../src/audit/index.js';
import { createApiAccount } from '../../src/operations/api-accounts.js';
import { jsonLines, type PhpServer, requirePhp, startPhpServer } from '../support/php.js';
import { startService, type TestService } from '../support/service.js';
import { waitUntil } from '../support/wait.js';

const HANDLER = fileURLToPath(new URL('./php/session-end-handler.php', import.meta.url));

let svc: TestService | undefined;
let php: PhpServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  php?.stop();
  php = undefined;
  await svc?.stop();
  svc = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

interface Entry {
  event: Record<string, string>;
  report?: Record<string, unknown>;
}

it('a PHP handler fetches the report on support_conference_end and finds it complete', async () => {
  requirePhp('the reporting tests');
  svc = await startService();
  const s = svc;
  const { account, clientSecret } = await createApiAccount(
    { store: s.service.store, clock: () => Date.now() },
    { name: 'servicenow', reporting: true, command: 'deny' },
    { actor: 'test', log: NO_LOG },
  );
  dir = mkdtempSync(join(tmpdir(), 'outbound-php-report-'));
  const log = join(dir, 'events.jsonl');
  php = await startPhpServer(HANDLER, {
    HANDLER_LOG: log,
    OUTBOUND_URL: s.url,
    CLIENT_ID: account.clientId,
    CLIENT_SECRET: clientSecret,
  });
  const handlerUrl = php.url;
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await s.api(method, `/api/v1${path}`, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(
      300,
    );
    return res.body;
  };
  await ok('POST', '/recipients', { name: 'servicenow', url: handlerUrl });

  const { lsid } = await ok('POST', '/sessions', { external_key: 'INC0042' });
  const rep = await ok('POST', `/sessions/${lsid}/members`, {
    type: 'representative',
    display_name: 'Ann Lee',
    user_id: '12',
    username: 'ann',
  });
  const customer = await ok('POST', `/sessions/${lsid}/members`, {
    type: 'customer',
    display_name: 'Zoë',
    details: { info: { name: 'Zoë Martin', company: 'ACME & Sons' } },
  });
  await ok('POST', `/sessions/${lsid}/owner`, {
    conference_id: 'rep:12',
    conference_name: 'Ann Lee',
  });
  await ok('POST', `/sessions/${lsid}/chat`, {
    from: rep.memberId,
    to: customer.memberId,
    body: 'Hello <Zoë>, press "Ctrl & Alt"',
  });
  await ok('POST', `/sessions/${lsid}/chat`, { from: customer.memberId, body: 'ok \u0007' });
  await ok('POST', `/sessions/${lsid}/surveys/customer`, {
    answers: [{ name: 'rating', value: '5' }],
  });
  await ok('POST', `/sessions/${lsid}/end`);

  const entries = () => jsonLines<Entry>(log);
  await waitUntil(
    () => entries().some((e) => e.event.event === 'support_conference_end'),
    'support_conference_end at the PHP handler',
  );
  const end = entries().find((e) => e.event.event === 'support_conference_end');
  expect(end?.event.lsid).toBe(lsid);
  const report = end?.report ?? {};
  expect(report).toMatchObject({
    status: 'HTTP/1.1 200 OK',
    root: 'session_list',
    lsid,
    external_key: 'INC0042',
    primary_rep: 'Ann Lee',
    primary_rep_id: '12',
    primary_customer: 'Zoë',
    customer_company: 'ACME & Sons',
    survey_rating: '5',
    chat: ['Hello <Zoë>, press "Ctrl & Alt"', 'ok \u0007'],
  });
  expect(report.end_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
  expect(Number(report.end_timestamp)).toBeGreaterThan(0);
  expect(report.duration).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  expect(report.event_types).toEqual(expect.arrayContaining(['Session Start', 'Session End']));
});
