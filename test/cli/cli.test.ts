import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/operations/tokens.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { type CliResult, runOutbound } from '../support/cli.js';

let dir: string;
let databaseUrl: string;

async function outbound(...args: string[]): Promise<CliResult> {
  return runOutbound({ OUTBOUND_DATABASE_URL: databaseUrl }, ...args);
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

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-cli-'));
  databaseUrl = `sqlite:${join(dir, 'outbound.db')}`;
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('outbound CLI', () => {
  it('token create prints only the token, and stores only its hash', async () => {
    const { code, stdout, stderr } = await outbound('token', 'create', '--name', 'helpdesk');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^obt_[A-Za-z0-9_-]{43}\n$/);
    const token = stdout.trim();
    await withStore(async (store) => {
      expect((await store.useToken(hashToken(token), Date.now()))?.name).toBe('helpdesk');
      expect(await store.useToken(token, Date.now())).toBeUndefined();
    });
    const list = await outbound('token', 'list');
    expect(list.stdout).toContain('helpdesk\tactive');
    expect(list.stdout).not.toContain(token);
    expect((await outbound('token', 'revoke', '1')).stdout).toBe('revoked token 1\n');
    expect((await outbound('token', 'revoke', '1')).code).toBe(2);
  });

  it('manages recipients: add, list, show, update, pause, resume, remove', async () => {
    const url = 'http://127.0.0.1:9/hook?outbound_event_token=a%2Bb&appliance_id=x';
    const added = await outbound(
      'recipient',
      'add',
      'tickets',
      url,
      '--events',
      'support_conference_begin,support_conference_rep_exit_survey_completed',
      '--retry-interval',
      '2',
      '--retry-duration',
      '60',
      '--timeout',
      '3',
      '--header',
      'X-Api-Key: k1',
      '--json',
    );
    expect(added.code).toBe(0);
    const json = JSON.parse(added.stdout);
    // Echoed masked, as `list` prints it; `show` gives the URL and headers in full.
    const masked = 'http://127.0.0.1:9/hook?outbound_event_token=•••&appliance_id=x';
    expect(json).toMatchObject({
      id: 1,
      name: 'tickets',
      url: masked,
      events: [
        'support_conference_begin',
        'support_conference_representative_exit_survey_completed',
      ],
      retryIntervalSeconds: 2,
      retryDurationSeconds: 60,
      timeoutSeconds: 3,
      headers: { 'x-api-key': '•••' },
    });
    expect((await outbound('recipient', 'list')).stdout).toBe(
      `1\ttickets\tenabled\t${masked}\tsupport_conference_begin,support_conference_representative_exit_survey_completed\n`,
    );
    const updated = await outbound(
      'recipient',
      'update',
      'tickets',
      '--events',
      'all',
      '--disabled',
    );
    expect(updated.stdout).toContain('disabled');
    expect((await outbound('recipient', 'pause', '1')).stdout).toContain('\tdisabled\t');
    await withStore(async (store) => {
      const r = await store.getRecipient(1);
      expect(r?.paused).toBe(true);
      expect(r?.events).toBe('all');
    });
    await outbound('recipient', 'update', '1', '--enabled');
    expect((await outbound('recipient', 'resume', 'tickets')).stdout).toContain('\tenabled\t');
    const shown = JSON.parse((await outbound('recipient', 'show', 'tickets')).stdout);
    expect(shown.status.state).toBe('idle');
    expect(shown).toMatchObject({ url, headers: { 'x-api-key': 'k1' } });
    expect((await outbound('recipient', 'remove', 'tickets')).stdout).toBe(
      'removed recipient 1 (tickets)\n',
    );
    expect((await outbound('recipient', 'list')).stdout).toBe('');
  });

  it('reads a CA certificate file and refuses bad input with a message naming it', async () => {
    const notPem = join(dir, 'ca.pem');
    writeFileSync(notPem, 'hello');
    const cases: [string[], RegExp][] = [
      [['recipient', 'add', 'a', 'ftp://x'], /url must be an absolute http:\/\/ or https:\/\/ URL/],
      [['recipient', 'add', 'a', 'http://x', '--events', 'nope'], /events: unknown event "nope"/],
      [
        ['recipient', 'add', 'a', 'http://x', '--retry-interval', 'soon'],
        /--retry-interval must be a number/,
      ],
      [
        ['recipient', 'add', 'a', 'http://x', '--ca', notPem],
        /caCertificate must be a PEM certificate/,
      ],
      [['recipient', 'add', 'a', 'http://x', '--header', 'nocolon'], /--header must look like/],
      [
        ['recipient', 'add', 'a', 'http://x', '--secret', 'plain'],
        /secret must be a Standard Webhooks secret/,
      ],
      [['recipient', 'show', 'ghost'], /no recipient with id or name "ghost"/],
      [['token', 'create', '--name', ' '], /--name must not be empty/],
    ];
    for (const [args, message] of cases) {
      const result = await outbound(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    await outbound('recipient', 'add', 'a', 'http://x');
    const duplicate = await outbound('recipient', 'add', 'a', 'http://y');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/a recipient named "a" already exists/);
    // Renamed to a taken name: one line and exit 2 too, not a stack trace.
    await outbound('recipient', 'add', 'b', 'http://z');
    const renamed = await outbound('recipient', 'update', 'b', '--name', 'a');
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toBe(
      'outbound: a recipient named "a" already exists (names are unique)\n',
    );
  });

  it('migrate reports the schema version, and a bad database URL is named', async () => {
    const { MIGRATIONS } = await import('../../src/store/sqlite/migrations/index.js');
    const names = MIGRATIONS.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`);
    expect((await outbound('migrate')).stdout).toBe(
      `schema version ${MIGRATIONS.length}: applied ${names.join(', ')}\n`,
    );
    expect((await outbound('migrate')).stdout).toBe(
      `schema version ${MIGRATIONS.length}: nothing to apply\n`,
    );
    databaseUrl = 'mysql://x';
    const bad = await outbound('migrate');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/OUTBOUND_DATABASE_URL "mysql:\/\/x" is not understood/);
  });
});
