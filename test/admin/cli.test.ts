import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/credentials/password.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliArgs } from '../support/cli.js';
import { freePort } from '../support/serve-process.js';
import { waitUntil } from '../support/wait.js';
import { AdminClient, PASSWORD, passwordFields } from './client.js';

const ROOT = resolve(import.meta.dirname, '../..');

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-admin-cli-'));
  env = { ...process.env, OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `outbound ARGS` with `stdin` piped in (not a terminal). */
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

async function withStore<T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(join(dir, 'outbound.db'));
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('outbound user', () => {
  it('adds an administrator with the first line of a piped stdin, lists and removes it', async () => {
    const added = await outbound(`${PASSWORD}\nignored second line\n`, 'user', 'add', 'admin');
    expect(added).toMatchObject({ code: 0, stdout: '' });
    expect(added.stderr).toContain('created administrator "admin"');
    const user = await withStore((store) => store.admin.findUser('admin'));
    expect(await verifyPassword(PASSWORD, user!.passwordHash)).toBe(true);
    expect(user!.passwordHash).not.toContain(PASSWORD);

    const again = await outbound(`${PASSWORD}\n`, 'user', 'add', 'admin');
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('outbound: a user named "admin" already exists\n');

    const list = await outbound('', 'user', 'list');
    expect(list.stdout).toBe('admin\tlast sign-in never\n');

    const removed = await outbound('', 'user', 'remove', 'admin');
    expect(removed).toMatchObject({ code: 0, stdout: 'removed user "admin"\n' });
    const gone = await outbound('', 'user', 'remove', 'admin');
    expect(gone.code).toBe(2);
    expect(gone.stderr).toBe('outbound: no user named "admin"\n');
    const actions = await withStore((store) => store.admin.listAudit(10));
    expect(actions.map((a) => [a.action, a.target, a.actor.startsWith('cli')])).toEqual([
      ['user.remove', 'user admin', true],
      ['user.add', 'user admin', true],
    ]);
  });

  it('refuses a short password and a bad name, naming what is wrong', async () => {
    const short = await outbound('short\n', 'user', 'add', 'admin');
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('outbound: password must be at least 10 characters\n');
    const name = await outbound(`${PASSWORD}\n`, 'user', 'add', 'two words');
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/^outbound: user name may hold only/);
    expect(await withStore((store) => store.admin.countUsers())).toBe(0);
  });
});

describe('outbound serve without an administrator', () => {
  it('prints a one-time setup link that creates the first administrator', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, cliArgs('serve'), {
      cwd: ROOT,
      env: { ...env, OUTBOUND_PORT: String(port), OUTBOUND_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    try {
      const link = await waitUntil(
        () => /http:\/\/127\.0\.0\.1:\d+\/setup\?token=[\w-]{43}/.exec(stderr)?.[0],
        'the setup link on stderr',
        20_000,
      );
      const client = new AdminClient(`http://127.0.0.1:${port}`);
      const path = link!.slice(client.baseUrl.length);
      expect((await client.get(path)).status).toBe(200);
      const token = new URL(link!).searchParams.get('token')!;
      const created = await client.post('/setup', { token, ...passwordFields('root') });
      expect(created.status).toBe(303);
      expect((await client.get('/admin/recipients')).status).toBe(200);
      expect((await new AdminClient(client.baseUrl).get(path)).status).toBe(404);
    } finally {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
