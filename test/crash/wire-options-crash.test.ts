/**
 * The representative survey's name is decided when the event is sent, from the recipient's
 * setting at that moment: also for the re-send after `outbound serve` was killed with SIGKILL
 * while the survey was the failing head. The re-send keeps its webhook-id and the installation's
 * appliance_id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freePort, outbound, ServeProcess } from '../support/serve-process.js';
import { waitUntil } from '../support/wait.js';

const GUIDE = 'support_conference_representative_exit_survey_completed';
const DEPLOYED = 'support_conference_rep_exit_survey_completed';

interface Received {
  body: string;
  webhookId: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver that answers `status()` and keeps every request. */
async function receiver(status: () => number): Promise<{ url: string; requests: Received[] }> {
  const requests: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ body, webhookId: String(request.headers['webhook-id']) });
      response.statusCode = status();
      response.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/outbound`, requests };
}

it('a survey re-sent after a SIGKILL goes out under the name the recipient has by then', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbound-wire-crash-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = { OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` };
  let answer = 503;
  const r = await receiver(() => answer);

  const token = (await outbound(env, 'token', 'create', '--name', 'crash')).trim();
  await outbound(env, 'recipient', 'add', 'deployed', r.url, '--retry-interval', '1');
  await outbound(env, 'recipient', 'update', 'deployed', '--send-appliance-id');

  const serve = new ServeProcess(await freePort(), env);
  cleanups.push(() => serve.close());
  serve.start();
  await serve.ready();
  const accepted = await fetch(`${serve.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event: GUIDE, lsid: 'c69a8e10bea9428f816cfababe9815fe', timestamp: 1 }),
  });
  expect(accepted.status).toBe(202);
  await waitUntil(() => r.requests.length >= 1, 'a first, failed attempt of the survey');
  const first = r.requests[0] as Received;
  const appliance = new URLSearchParams(first.body).get('appliance_id');
  expect(appliance).toMatch(/^[0-9a-f-]{36}$/);
  expect(first.body).toBe(
    `event=${GUIDE}&version=1&timestamp=1&lsid=c69a8e10bea9428f816cfababe9815fe&appliance_id=${appliance}`,
  );

  await serve.kill('SIGKILL');
  // Changed while no serve runs: the next serve reads it when it sends, not when it was queued.
  await outbound(env, 'recipient', 'update', 'deployed', '--rep-survey-event-name', 'rep');
  answer = 200;
  const before = r.requests.length;
  serve.start();
  await waitUntil(() => r.requests.length > before, 'the re-send after the restart');

  const resent = r.requests.at(-1) as Received;
  expect(resent.body).toBe(
    `event=${DEPLOYED}&version=1&timestamp=1&lsid=c69a8e10bea9428f816cfababe9815fe&appliance_id=${appliance}`,
  );
  expect(resent.webhookId).toBe(first.webhookId);
  expect(serve.unexpectedExit).toBeUndefined();
});
