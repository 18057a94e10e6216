/**
 * `outbound recipient add` and `list` print a recipient's URL and extra headers masked, as the
 * API's list does: a terminal is read over shoulders, scrolled back and pasted into tickets.
 * `outbound recipient show` gives them in full, as GET /api/v1/recipients/{id} does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOutbound } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'outbound-mask-cli-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function outbound(...args: string[]) {
  const result = await runOutbound(
    { OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'o.db')}` },
    ...args,
  );
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const PASSWORD = 'pa55-d0-n0t-sh0w';
const TOKEN = 'T0k3n-d0-n0t-sh0w';
const KEY = 'K3y-d0-n0t-sh0w';
const URL_IN_FULL = `http://hooks:${PASSWORD}@127.0.0.1:9/in?team=blue&access_token=${TOKEN}`;
const MASKED_URL = 'http://hooks:•••@127.0.0.1:9/in?team=blue&access_token=•••';

function expectNoSecret(output: string, where: string): void {
  for (const secret of [PASSWORD, TOKEN, KEY]) {
    expect(output, `${where} prints ${secret}`).not.toContain(secret);
  }
}

describe('outbound recipient add / list', () => {
  it('print the URL and the header values masked; show prints them in full', async () => {
    const added = await outbound(
      'recipient',
      'add',
      'crm',
      URL_IN_FULL,
      '--header',
      `X-Api-Key: ${KEY}`,
    );
    expectNoSecret(added, 'add');
    expect(added).toBe(`1\tcrm\tenabled\t${MASKED_URL}\tall\n`);

    const json = await outbound(
      'recipient',
      'add',
      'crm-2',
      URL_IN_FULL,
      '--header',
      `X-Api-Key: ${KEY}`,
      '--json',
    );
    expectNoSecret(json, 'add --json');
    expect(JSON.parse(json)).toMatchObject({ url: MASKED_URL, headers: { 'x-api-key': '•••' } });

    const list = await outbound('recipient', 'list');
    expectNoSecret(list, 'list');
    expect(list.split('\n').filter(Boolean)).toHaveLength(2);
    expect(list).toContain(`\t${MASKED_URL}\t`);
    const listJson = await outbound('recipient', 'list', '--json');
    expectNoSecret(listJson, 'list --json');
    for (const line of listJson.split('\n').filter(Boolean)) {
      expect(JSON.parse(line)).toMatchObject({ url: MASKED_URL, headers: { 'x-api-key': '•••' } });
    }

    const updated = await outbound('recipient', 'update', 'crm', '--timeout', '4');
    expectNoSecret(updated, 'update');

    const shown = JSON.parse(await outbound('recipient', 'show', 'crm'));
    expect(shown).toMatchObject({ url: URL_IN_FULL, headers: { 'x-api-key': KEY } });
  }, 120_000);
});
