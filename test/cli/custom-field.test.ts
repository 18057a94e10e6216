/**
 * `outbound custom-field add|list|remove`: the definitions integrations set as
 * `session.custom.<code_name>`, each change in the audit log as `cli:<OS user>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { runOutbound } from '../support/cli.js';

let dir: string;

async function outbound(...args: string[]) {
  return runOutbound({ OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'outbound.db')}` }, ...args);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outbound custom-field', () => {
  it('adds, lists and removes definitions, audited; refuses bad and taken names', async () => {
    expect(
      await outbound('custom-field', 'add', 'ticket_id', '--display-name', 'Ticket ID'),
    ).toEqual({ code: 0, stdout: 'added custom field ticket_id (Ticket ID)\n', stderr: '' });
    await outbound('custom-field', 'add', 'asset', '--display-name', 'Asset tag');
    expect((await outbound('custom-field', 'list')).stdout).toBe(
      'asset\tAsset tag\nticket_id\tTicket ID\n',
    );
    const json = await outbound('custom-field', 'list', '--json');
    expect(JSON.parse(json.stdout)).toEqual([
      { code_name: 'asset', display_name: 'Asset tag', createdAt: expect.any(String) },
      { code_name: 'ticket_id', display_name: 'Ticket ID', createdAt: expect.any(String) },
    ]);

    const taken = await outbound('custom-field', 'add', 'asset', '--display-name', 'Again');
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe('outbound: a custom field with code name "asset" already exists\n');
    const bad = await outbound('custom-field', 'add', 'Ticket', '--display-name', 'T');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^outbound: code_name must start with a-z/);
    const missing = await outbound('custom-field', 'add', 'x');
    expect(missing.code).toBe(2);

    expect(await outbound('custom-field', 'remove', 'asset')).toEqual({
      code: 0,
      stdout: 'removed custom field asset\n',
      stderr: '',
    });
    const gone = await outbound('custom-field', 'remove', 'asset');
    expect(gone).toMatchObject({
      code: 2,
      stderr: 'outbound: no custom field with code name "asset"\n',
    });

    const store = new SqliteStore(join(dir, 'outbound.db'));
    try {
      expect((await store.customFields.list()).map((f) => f.codeName)).toEqual(['ticket_id']);
      const audit = (await store.admin.listAudit(10)).filter((e) =>
        e.action.startsWith('custom-field.'),
      );
      expect(audit.map((e) => [e.action, e.target, e.actor.startsWith('cli:')])).toEqual([
        ['custom-field.delete', 'custom field asset', true],
        ['custom-field.create', 'custom field asset', true],
        ['custom-field.create', 'custom field ticket_id', true],
      ]);
    } finally {
      await store.close();
    }
  });
});
