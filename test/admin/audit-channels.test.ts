import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/store/admin-store.js';
import { cliArgs } from '../support/cli.js';
import { startService, type TestService } from '../support/service.js';

/*
 * Every change lands in the audit log whatever its channel: the admin pages (the user's name),
 * the API (`api:` and the token's name), the command line (`cli:` and the OS user).
 */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const HEADER_SECRET = 'Bearer sk_live_do_not_log';
const URL_SECRET = 'tok3n-in-the-url';

/** The parts of the audit log a test looks at, oldest first. */
const oldestFirst = (entries: AuditEntry[]) =>
  entries.map(({ actor, action, target, before, after }) => ({
    actor,
    action,
    target,
    before,
    after,
  }));

function expectNoSecret(entries: AuditEntry[]): void {
  const text = JSON.stringify(entries);
  for (const secret of [SECRET, HEADER_SECRET, URL_SECRET]) expect(text).not.toContain(secret);
}

describe('audit of changes through the API', () => {
  let svc: TestService;

  beforeEach(async () => {
    svc = await startService();
  });

  afterEach(async () => {
    await svc.stop();
  });

  it('records each change with the token as actor, secrets masked', async () => {
    const created = await svc.api('POST', '/api/v1/recipients', {
      name: 'crm',
      url: `http://127.0.0.1:9/hook?access_token=${URL_SECRET}`,
      secret: SECRET,
      headers: { Authorization: HEADER_SECRET, 'X-Team': 'blue' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect((await svc.api('PATCH', `/api/v1/recipients/${id}`, { timeoutSeconds: 3 })).status).toBe(
      200,
    );
    expect((await svc.api('POST', `/api/v1/recipients/${id}/pause`)).status).toBe(200);
    expect((await svc.api('POST', `/api/v1/recipients/${id}/resume`)).status).toBe(200);
    expect((await svc.api('POST', `/api/v1/recipients/${id}/test`)).status).toBe(202);
    expect((await svc.api('POST', `/api/v1/recipients/${id}/retry`)).status).toBe(200);
    expect((await svc.api('POST', `/api/v1/recipients/${id}/replay`)).status).toBe(200);
    expect((await svc.api('DELETE', `/api/v1/recipients/${id}`)).status).toBe(204);
    // Reading changes nothing and is not audited.
    expect((await svc.api('GET', '/api/v1/recipients')).status).toBe(200);

    const entries = (await svc.service.store.admin.listAudit(50)).reverse();
    const target = `recipient ${id} (crm)`;
    expect(oldestFirst(entries).map((e) => [e.actor, e.action, e.target])).toEqual([
      ['api:test', 'recipient.create', target],
      ['api:test', 'recipient.update', target],
      ['api:test', 'recipient.pause', target],
      ['api:test', 'recipient.resume', target],
      ['api:test', 'recipient.test', target],
      ['api:test', 'recipient.retry', target],
      ['api:test', 'recipient.replay', target],
      ['api:test', 'recipient.delete', target],
    ]);
    const [create, update] = entries;
    expect(create?.after).toMatchObject({
      name: 'crm',
      secret: expect.stringMatching(/^whsec_…/),
      headers: { authorization: '•••', 'x-team': '•••' },
      url: 'http://127.0.0.1:9/hook?access_token=•••',
    });
    expect(update?.before).toMatchObject({ timeoutSeconds: 10 });
    expect(update?.after).toMatchObject({ timeoutSeconds: 3 });
    const test = entries.find((e) => e.action === 'recipient.test');
    expect(test?.after).toEqual({ eventId: expect.any(String) });
    expectNoSecret(entries);
  });
});

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('audit of changes through the command line', () => {
  let svc: TestService;

  beforeEach(async () => {
    svc = await startService();
  });

  afterEach(async () => {
    await svc.stop();
  });

  /** The real CLI, as a child process, on the service's database. */
  async function outbound(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, cliArgs(...args), {
      cwd: ROOT,
      env: { ...process.env, OUTBOUND_DATABASE_URL: svc.databaseUrl },
    });
    return stdout;
  }

  it('records recipients and tokens changed by `outbound`, as cli:<OS user>', async () => {
    const url = `http://127.0.0.1:9/hook?access_token=${URL_SECRET}`;
    await outbound(
      'recipient',
      'add',
      'tickets',
      url,
      '--secret',
      SECRET,
      '--header',
      `Authorization: ${HEADER_SECRET}`,
    );
    await outbound('recipient', 'update', 'tickets', '--timeout', '4');
    await outbound('recipient', 'pause', 'tickets');
    await outbound('recipient', 'resume', 'tickets');
    await outbound('recipient', 'remove', 'tickets');
    const token = (await outbound('token', 'create', '--name', 'ci')).trim();
    const tokenId = (await svc.service.store.listTokens()).find((t) => t.name === 'ci')?.id;
    await outbound('token', 'revoke', String(tokenId));

    const entries = (await svc.service.store.admin.listAudit(50)).reverse();
    const actor = `cli:${userInfo().username}`;
    const recipientTarget = expect.stringMatching(/^recipient \d+ \(tickets\)$/);
    expect(oldestFirst(entries).map((e) => [e.actor, e.action, e.target])).toEqual([
      [actor, 'recipient.create', recipientTarget],
      [actor, 'recipient.update', recipientTarget],
      [actor, 'recipient.pause', recipientTarget],
      [actor, 'recipient.resume', recipientTarget],
      [actor, 'recipient.delete', recipientTarget],
      [actor, 'token.create', `token ${tokenId} (ci)`],
      [actor, 'token.revoke', `token ${tokenId} (ci)`],
    ]);
    expect(entries[0]?.after).toMatchObject({
      secret: expect.stringMatching(/^whsec_…/),
      headers: { authorization: '•••' },
    });
    expect(entries[1]?.after).toMatchObject({ timeoutSeconds: 4 });
    expectNoSecret(entries);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('records administrators added and removed at the command line', async () => {
    // `user add` reads the password as the first line of stdin.
    const child = execFile(process.execPath, cliArgs('user', 'add', 'carol'), {
      cwd: ROOT,
      env: { ...process.env, OUTBOUND_DATABASE_URL: svc.databaseUrl },
    });
    child.stdin?.end('correct horse battery staple\n');
    await new Promise<void>((resolve, reject) =>
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))),
    );
    await outbound('user', 'remove', 'carol');
    const entries = (await svc.service.store.admin.listAudit(50)).reverse();
    const actor = `cli:${userInfo().username}`;
    expect(oldestFirst(entries).map((e) => [e.actor, e.action, e.target])).toEqual([
      [actor, 'user.add', 'user carol'],
      [actor, 'user.remove', 'user carol'],
    ]);
    expect(JSON.stringify(entries)).not.toContain('correct horse');
  });
});
