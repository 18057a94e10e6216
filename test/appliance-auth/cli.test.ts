/**
 * `outbound api-account …` and `outbound user … --reporting-api/--command-api` as users script
 * them, against a running service: the credentials printed get a token that calls the real
 * Reporting API, and the commands that revoke make it stop.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';
import { startService, type TestService } from '../support/service.js';
import { basic, tokenRequest } from './harness.js';

const ROOT = resolve(import.meta.dirname, '../..');

let dir: string;
let svc: TestService | undefined;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-api-account-'));
  env = { ...process.env, OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` };
});

afterEach(async () => {
  await svc?.stop({ keepData: true });
  svc = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function outbound(
  stdin: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, cliArgs(...args), {
      cwd: ROOT,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const report = (base: string, token: string) =>
  fetch(
    `${base}/api/reporting?generate_report=SupportSession&lsid=c69a8e10bea9428f816cfababe9815fe`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );

describe('outbound api-account', () => {
  it('add --json prints credentials that work; disable, regenerate-secret and remove revoke', async () => {
    const added = await outbound(
      '',
      'api-account',
      'add',
      'siem',
      '--reporting',
      '--command',
      'read_only',
      '--json',
    );
    expect(added.code, added.stderr).toBe(0);
    const { client_id, client_secret } = JSON.parse(added.stdout);
    expect(client_id).toMatch(/^[0-9a-f]{32}$/);
    expect(client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    svc = await startService({ databaseUrl: env.OUTBOUND_DATABASE_URL as string }, dir);
    const granted = await tokenRequest(svc.url, { authorization: basic(client_id, client_secret) });
    expect(granted.status).toBe(200);
    const token = granted.json.access_token as string;
    const ok = await report(svc.url, token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/xml; charset=UTF-8');

    const listed = await outbound('', 'api-account', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        name: 'siem',
        client_id,
        enabled: true,
        reporting: true,
        command: 'read_only',
        live_tokens: 1,
      },
    ]);

    expect((await outbound('', 'api-account', 'disable', 'siem')).code).toBe(0);
    expect((await report(svc.url, token)).status).toBe(401);
    expect((await outbound('', 'api-account', 'enable', 'siem')).code).toBe(0);

    const renewed = await outbound('', 'api-account', 'regenerate-secret', 'siem', '--json');
    const next = JSON.parse(renewed.stdout);
    expect(next.client_id).toBe(client_id);
    expect(next.client_secret).not.toBe(client_secret);
    expect(
      (await tokenRequest(svc.url, { authorization: basic(client_id, client_secret) })).status,
    ).toBe(401);
    const again = await tokenRequest(svc.url, {
      authorization: basic(client_id, next.client_secret),
    });
    expect(again.status).toBe(200);

    expect((await outbound('', 'api-account', 'remove', 'siem')).code).toBe(0);
    expect((await report(svc.url, again.json.access_token)).status).toBe(401);
  });

  it('says what is wrong in one line, exit code 2', async () => {
    const missing = await outbound('', 'api-account', 'disable', 'nobody');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('outbound: no API account named "nobody"\n');
    const badPermission = await outbound('', 'api-account', 'add', 'x', '--command', 'write');
    expect(badPermission.code).toBe(2);
    expect(badPermission.stderr).toContain('full, read_only, deny');
    expect((await outbound('', 'api-account', 'add', 'x')).code).toBe(0);
    const taken = await outbound('', 'api-account', 'add', 'x');
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('already exists');
    // Without --json: both values, labelled; the warning on stderr.
    const plain = await outbound('', 'api-account', 'add', 'y');
    expect(plain.stdout).toMatch(/^client_id: [0-9a-f]{32}\nclient_secret: \S{43}\n$/);
    expect(plain.stderr).toContain('not shown again');
  });

  it('user add --reporting-api and user grant/revoke give legacy access, audited', async () => {
    const added = await outbound('a-long-password-1\n', 'user', 'add', 'alice', '--reporting-api');
    expect(added.code, added.stderr).toBe(0);
    const shown = await outbound('', 'user', 'grant', 'alice');
    expect(shown.stdout).toBe('alice: reporting API yes, command API no\n');
    const granted = await outbound('', 'user', 'grant', 'alice', '--command-api');
    expect(granted.stdout).toBe('alice: reporting API yes, command API yes\n');
    const revoked = await outbound('', 'user', 'revoke', 'alice', '--reporting-api');
    expect(revoked.stdout).toBe('alice: reporting API no, command API yes\n');
    const nobody = await outbound('', 'user', 'grant', 'nobody', '--command-api');
    expect(nobody.code).toBe(2);
    expect((await outbound('', 'api-account', 'legacy-auth', 'on')).stdout).toContain('on');

    svc = await startService({ databaseUrl: env.OUTBOUND_DATABASE_URL as string }, dir);
    const audit = await svc.service.store.admin.listAudit(10);
    expect(audit.map((e) => e.action)).toEqual([
      'settings.legacy-api-auth',
      'user.api-grants',
      'user.api-grants',
      'user.api-grants',
      'user.add',
    ]);
    expect(audit[0]?.actor).toMatch(/^cli:/);
  });
});
