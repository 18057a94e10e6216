/**
 * The alert fields of a recipient through the API (defaults, validation naming the field,
 * PATCH) and the `outbound recipient` flags.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/cli.js';
import { startService, type TestService } from '../support/service.js';

let svc: TestService | undefined;
afterEach(async () => {
  await svc?.stop();
  svc = undefined;
});

describe('recipient alert fields in the API', () => {
  it('defaults to no contacts, 10 min, 60 min, and takes new values by PATCH', async () => {
    svc = await startService();
    const created = await svc.api('POST', '/api/v1/recipients', {
      name: 'crm',
      url: 'http://127.0.0.1:9/hook',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      alertContacts: [],
      alertAfterSeconds: 600,
      resendAlertsSeconds: 3600,
    });
    const patched = await svc.api('PATCH', `/api/v1/recipients/${created.body.id}`, {
      alertContacts: ['ops@example.com', ' ops@example.com', 'Dev.Team+out@mail.example.org'],
      alertAfterSeconds: 30,
      resendAlertsSeconds: 0,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      alertContacts: ['ops@example.com', 'Dev.Team+out@mail.example.org'],
      alertAfterSeconds: 30,
      resendAlertsSeconds: 0,
    });
    const spec = await svc.api('GET', '/api/v1/openapi.json');
    expect(Object.keys(spec.body.components.schemas.Recipient.properties)).toEqual(
      expect.arrayContaining(['alertContacts', 'alertAfterSeconds', 'resendAlertsSeconds']),
    );
  });

  it('refuses bad values with a message naming the field, and stores nothing', async () => {
    svc = await startService();
    const url = 'http://127.0.0.1:9/hook';
    const eleven = Array.from({ length: 11 }, (_, i) => `a${i}@example.com`);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ alertContacts: 'ops@example.com' }, 'alertContacts', /must be an array/],
      [{ alertContacts: ['not an address'] }, 'alertContacts', /"not an address" is not an email/],
      [{ alertContacts: ['a@b.com\r\nBcc: x@y.com'] }, 'alertContacts', /not an email address/],
      [{ alertContacts: eleven }, 'alertContacts', /at most 10 addresses/],
      [{ alertAfterSeconds: -1 }, 'alertAfterSeconds', /alertAfterSeconds must be a number/],
      [{ resendAlertsSeconds: '60' }, 'resendAlertsSeconds', /resendAlertsSeconds must be/],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await svc.api('POST', '/api/v1/recipients', { name: 'r', url, ...fields });
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(answer.body.field).toBe(field);
      expect(answer.body.message).toMatch(message);
    }
    expect((await svc.api('GET', '/api/v1/recipients')).body).toEqual({
      recipients: [],
      next_cursor: null,
    });
  });
});

describe('outbound recipient alert flags', () => {
  const run = promisify(execFile);
  const ROOT = join(import.meta.dirname, '..', '..');
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('sets and clears contacts, and names a bad flag value', async () => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-cli-'));
    const env = { ...process.env, OUTBOUND_DATABASE_URL: `sqlite:${join(dir, 'o.db')}` };
    const outbound = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await run(process.execPath, cliArgs(...args), {
          cwd: ROOT,
          env,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        return error as { code: number; stdout: string; stderr: string };
      }
    };
    const added = await outbound(
      ...['recipient', 'add', 'crm', 'http://127.0.0.1:9/', '--json'],
      ...['--alert-contact', 'ops@example.com, dev@example.com', '--alert-after', '120'],
      ...['--resend-alerts', '0'],
    );
    expect(JSON.parse(added.stdout)).toMatchObject({
      alertContacts: ['ops@example.com', 'dev@example.com'],
      alertAfterSeconds: 120,
      resendAlertsSeconds: 0,
    });
    const cleared = await outbound('recipient', 'update', 'crm', '--alert-contact', '', '--json');
    expect(JSON.parse(cleared.stdout)).toMatchObject({ alertContacts: [], alertAfterSeconds: 120 });
    const bad = await outbound('recipient', 'update', 'crm', '--alert-contact', 'nobody');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/alertContacts: "nobody" is not an email address/);
    const badDelay = await outbound('recipient', 'update', 'crm', '--alert-after', 'soon');
    expect(badDelay.stderr).toMatch(/--alert-after must be a number/);
  });
});
