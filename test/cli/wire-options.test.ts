/**
 * `outbound recipient add|update` take the wire options (CONTRACT §7):
 * `--rep-survey-event-name guide|rep`, `--[no-]send-appliance-id`, `--[no-]send-custom-fields`.
 * Without them a new recipient has all off and an update leaves them as they are; each change
 * is in the audit log.
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

/** The options as `recipient show` prints them. */
async function options(ref: string) {
  const shown = await outbound('recipient', 'show', ref);
  expect(shown.code, shown.stderr).toBe(0);
  const { repSurveyEventName, sendApplianceId, sendCustomFields } = JSON.parse(shown.stdout);
  return { repSurveyEventName, sendApplianceId, sendCustomFields };
}

const OFF = { repSurveyEventName: 'guide', sendApplianceId: false, sendCustomFields: false };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outbound-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('outbound recipient: wire options', () => {
  it('add takes each option; without them all are off', async () => {
    expect((await outbound('recipient', 'add', 'plain', 'http://127.0.0.1:9/')).code).toBe(0);
    expect(await options('plain')).toEqual(OFF);
    const added = await outbound(
      'recipient',
      'add',
      'servicenow',
      'http://127.0.0.1:9/snow',
      '--rep-survey-event-name',
      'rep',
      '--send-appliance-id',
      '--send-custom-fields',
      '--json',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: true,
    });
    expect(await options('servicenow')).toEqual({
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: true,
    });
  });

  it('update turns each on and off, leaving the others; each change audited', async () => {
    await outbound('recipient', 'add', 'r', 'http://127.0.0.1:9/');
    const steps: [string[], object][] = [
      [['--send-appliance-id'], { ...OFF, sendApplianceId: true }],
      [
        ['--rep-survey-event-name', 'rep'],
        { ...OFF, sendApplianceId: true, repSurveyEventName: 'rep' },
      ],
      [
        ['--send-custom-fields', '--no-send-appliance-id'],
        { ...OFF, repSurveyEventName: 'rep', sendCustomFields: true },
      ],
      [['--timeout', '3'], { ...OFF, repSurveyEventName: 'rep', sendCustomFields: true }],
      [['--no-send-custom-fields', '--rep-survey-event-name', 'guide'], OFF],
    ];
    for (const [flags, expected] of steps) {
      const updated = await outbound('recipient', 'update', 'r', ...flags);
      expect(updated.code, `${flags.join(' ')}: ${updated.stderr}`).toBe(0);
      expect(await options('r'), flags.join(' ')).toEqual(expected);
    }
    const store = new SqliteStore(join(dir, 'outbound.db'));
    try {
      const updates = (await store.admin.listAudit(20)).filter(
        (e) => e.action === 'recipient.update',
      );
      const first = updates.at(-1)!;
      expect(first.before).toMatchObject({ sendApplianceId: false });
      expect(first.after).toMatchObject({ sendApplianceId: true, repSurveyEventName: 'guide' });
    } finally {
      await store.close();
    }
  });

  it('refuses a survey name other than guide or rep, naming the flag', async () => {
    for (const args of [
      ['add', 'a', 'http://127.0.0.1:9/', '--rep-survey-event-name', 'representative'],
      ['add', 'a', 'http://127.0.0.1:9/', '--rep-survey-event-name', 'REP'],
    ]) {
      const result = await outbound('recipient', ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^outbound: --rep-survey-event-name must be guide or rep/);
    }
    await outbound('recipient', 'add', 'a', 'http://127.0.0.1:9/');
    const bad = await outbound('recipient', 'update', 'a', '--rep-survey-event-name', '');
    expect(bad.code).toBe(2);
    expect(await options('a')).toEqual(OFF);
  });

  it('custom-field add refuses a code name that is a variable of the outbound event', async () => {
    for (const code of ['lsid', 'event', 'appliance_id']) {
      const refused = await outbound('custom-field', 'add', code, '--display-name', 'Shadow');
      expect(refused.code, code).toBe(2);
      expect(refused.stderr).toBe(
        `outbound: code_name ${code} is a variable of the outbound event; a custom field sent with events may not shadow it\n`,
      );
    }
    expect((await outbound('custom-field', 'list')).stdout).toBe('');
  });
});
