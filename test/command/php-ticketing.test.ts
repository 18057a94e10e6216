/**
 * End to end with a real PHP client: a ticketing plugin (php/ticketing-plugin.php, served by
 * PHP's built-in web server on loopback) receives the outbound events through $_POST, sets its
 * ticket number as the session's external key through the Command API on
 * support_conference_begin, and sees that key on the next event it receives. Needs Debian's
 * php-cli and php-xml (.ci/run installs them); without them the test fails saying so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { jsonLines, type PhpServer, requirePhp, startPhpServer } from '../support/php.js';
import { waitUntil } from '../support/wait.js';
import { COMMAND_NS, type CommandFixture, startCommandFixture } from './support.js';

const PLUGIN = fileURLToPath(new URL('./php/ticketing-plugin.php', import.meta.url));

let fixture: CommandFixture | undefined;
let php: PhpServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  php?.stop();
  php = undefined;
  await fixture?.stop();
  fixture = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

interface LogEntry {
  event: Record<string, string>;
  command?: { ticket: string; status: string; root?: string; namespace?: string; text?: string };
}

it('a PHP ticketing plugin sets the external key on begin and sees it on the next event', async () => {
  requirePhp('the Command API end-to-end test');
  const f = await startCommandFixture();
  fixture = f;
  dir = mkdtempSync(join(tmpdir(), 'outbound-php-ticketing-'));
  const log = join(dir, 'events.jsonl');
  php = await startPhpServer(PLUGIN, {
    TICKETING_LOG: log,
    OUTBOUND_URL: f.svc.url,
    OUTBOUND_TOKEN: f.tokens.full,
  });
  const pluginUrl = php.url;
  // The fixture's Node receiver is replaced by the PHP plugin.
  await f.ok(200, 'PATCH', `/recipients/${f.recipientId}`, { url: pluginUrl });

  const entries = () => jsonLines<LogEntry>(log);

  const { lsid } = await f.ok(201, 'POST', '/sessions', {});
  await waitUntil(() => entries().length >= 2, 'begin and owner_changed at the PHP plugin');
  const [begin] = entries();
  expect(begin?.event.event).toBe('support_conference_begin');
  const ticket = `TICKET-${lsid.slice(0, 8).toUpperCase()}`;
  expect(begin?.command).toEqual({
    ticket,
    status: 'HTTP/1.1 200 OK',
    root: 'success',
    namespace: COMMAND_NS,
    text: 'Session attributes were set',
  });

  await f.ok(201, 'POST', `/sessions/${lsid}/members`, {
    type: 'customer',
    display_name: 'Jane',
  });
  await waitUntil(() => entries().length >= 3, 'member_added at the PHP plugin');
  const added = entries()[2];
  expect(added?.event).toMatchObject({
    event: 'support_conference_member_added',
    lsid,
    external_key: ticket,
    display_name: 'Jane',
  });
  expect(added?.command).toBeUndefined();
});
