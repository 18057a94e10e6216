/**
 * The per-recipient wire options end to end (CONTRACT §7, issue #14): decided at send time from
 * the recipient's current settings, so a change reaches an event already waiting, and a re-send
 * after a restart; signed as sent; and a receiver written for a deployed appliance (it knows
 * only `support_conference_rep_exit_survey_completed` and requires `appliance_id`) gets every
 * survey. The events API never takes those variables from callers.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTALLATION_ID_KEY } from '../../src/operations/installation.js';
import { verify } from '../../src/receiver/verify.js';
import {
  acceptedCount,
  addRecipient,
  cleanup,
  makeEvent,
  onCleanup,
  postEvents,
  receiver,
  service,
  wire,
} from './e2e.js';

afterEach(cleanup);

const GUIDE_SURVEY = 'support_conference_representative_exit_survey_completed';
const REP_SURVEY = 'support_conference_rep_exit_survey_completed';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The installation id the service sends, as stored (or as overridden). */
async function storedInstallationId(svc: Awaited<ReturnType<typeof service>>): Promise<string> {
  const id = await svc.service.store.settings.get(INSTALLATION_ID_KEY);
  expect(typeof id).toBe('string');
  return id as string;
}

describe('the survey name is decided at send time', () => {
  it('a recipient switched to rep while the survey waits behind a failing head sends the rep name', async () => {
    const r = await receiver({ kind: 'status', status: 500 });
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'deployed', url: r.url });
    const head = makeEvent('begin');
    const survey = makeEvent('representative_exit_survey_completed');
    await postEvents(svc, [head, survey]);
    // The head fails at least twice: the survey is queued behind it, not yet sent.
    await waitFor(() => r.requests.length >= 2, 'two failed attempts of the head');
    expect(r.requests.every((q) => q.body === wire(head))).toBe(true);

    const res = await svc.api('PATCH', `/api/v1/recipients/${recipient.id}`, {
      repSurveyEventName: 'rep',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    r.mode = { kind: 'ok' };
    await acceptedCount(r, 2);
    expect(r.accepted).toEqual([wire(head), wire(survey).replace(GUIDE_SURVEY, REP_SURVEY)]);
  });

  it('after a restart over the same SQLite file, the new setting and the same appliance id are sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbound-wire-'));
    const r = await receiver({ kind: 'status', status: 503 });
    const first = await service({}, dir);
    const recipient = await addRecipient(first, {
      name: 'deployed',
      url: r.url,
      sendApplianceId: true,
    });
    const survey = makeEvent('representative_exit_survey_completed');
    await postEvents(first, survey);
    await waitFor(() => r.requests.length >= 1, 'a failed attempt');
    const idBefore = await storedInstallationId(first);
    // The guide's name and the id went out while the setting was the default.
    expect(r.requests[0]?.body).toBe(`${wire(survey)}&appliance_id=${idBefore}`);
    await first.stop({ keepData: true });

    const second = await service({}, dir);
    const res = await second.api('PATCH', `/api/v1/recipients/${recipient.id}`, {
      repSurveyEventName: 'rep',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // A retry that left before the PATCH rightly carries the old name: it still fails, so what
    // is accepted is what the lane sends after the change.
    r.modeFor = (request) =>
      request.body.startsWith(`event=${GUIDE_SURVEY}&`) ? undefined : { kind: 'ok' };
    await acceptedCount(r, 1);
    expect(await storedInstallationId(second)).toBe(idBefore);
    expect(r.accepted).toEqual([
      `${wire(survey).replace(GUIDE_SURVEY, REP_SURVEY)}&appliance_id=${idBefore}`,
    ]);
  });

  it('a replay after the option changed sends the new name', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, { name: 'replayed', url: r.url });
    const from = new Date(Date.now() - 1000).toISOString();
    const survey = makeEvent('representative_exit_survey_completed');
    await postEvents(svc, survey);
    await acceptedCount(r, 1);
    expect(r.accepted[0]).toBe(wire(survey));
    await svc.api('PATCH', `/api/v1/recipients/${recipient.id}`, { repSurveyEventName: 'rep' });
    const replay = await svc.api('POST', `/api/v1/recipients/${recipient.id}/replay-range`, {
      from,
      to: new Date(Date.now() + 1000).toISOString(),
    });
    expect(replay).toEqual({ status: 200, body: { replayed: 1 } });
    await acceptedCount(r, 2);
    expect(r.accepted[1]).toBe(wire(survey).replace(GUIDE_SURVEY, REP_SURVEY));
  });
});

describe('the test event', () => {
  it('is sent with the recipient’s options, and refuses appliance_id in its body', async () => {
    const r = await receiver();
    const svc = await service();
    const recipient = await addRecipient(svc, {
      name: 'tested',
      url: r.url,
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: true,
    });
    const survey = makeEvent('representative_exit_survey_completed');
    const sent = await svc.api('POST', `/api/v1/recipients/${recipient.id}/test`, survey);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    await acceptedCount(r, 1);
    const id = await storedInstallationId(svc);
    // Not from a session: no custom fields to add.
    expect(r.accepted).toEqual([
      `${wire(survey).replace(GUIDE_SURVEY, REP_SURVEY)}&appliance_id=${id}`,
    ]);
    const forged = await svc.api('POST', `/api/v1/recipients/${recipient.id}/test`, {
      ...makeEvent('begin'),
      appliance_id: 'forged',
    });
    expect(forged.status).toBe(400);
    expect(JSON.stringify(forged.body)).toContain('appliance_id');
  });
});

describe('OUTBOUND_APPLIANCE_ID and signing', () => {
  it('the override is sent as appliance_id, and the signature verifies on the body as sent', async () => {
    const r = await receiver();
    const svc = await service({ applianceId: 'appliance-7.example.com' });
    await addRecipient(svc, {
      name: 'signed',
      url: r.url,
      secret: SECRET,
      sendApplianceId: true,
      repSurveyEventName: 'rep',
    });
    const survey = makeEvent('representative_exit_survey_completed');
    await postEvents(svc, survey);
    await acceptedCount(r, 1);
    const [request] = r.requests;
    const sent = `${wire(survey).replace(GUIDE_SURVEY, REP_SURVEY)}&appliance_id=appliance-7.example.com`;
    expect(request?.body).toBe(sent);
    const verified = verify(request?.headers ?? {}, request?.body ?? '', SECRET);
    expect(verified.id).toBe(request?.headers['webhook-id']);
    // The stored body would not verify: the signature covers what went on the wire.
    expect(() => verify(request?.headers ?? {}, wire(survey), SECRET)).toThrow();
  });
});

describe('the events API never takes the variables Outbound adds', () => {
  it('refuses appliance_id and custom-field variables in a caller’s event (400 naming the field)', async () => {
    const svc = await service();
    const defined = await svc.api('POST', '/api/v1/custom-fields', {
      code_name: 'ticket_id',
      display_name: 'Ticket',
    });
    expect(defined.status, JSON.stringify(defined.body)).toBe(201);
    for (const field of ['appliance_id', 'ticket_id']) {
      const res = await svc.api('POST', '/api/v1/events', makeEvent('begin', { [field]: 'x' }));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
  });
});

/**
 * A receiver written for deployed appliances, as the ServiceNow integration behaves: it knows
 * the representative survey only by its deployed name, requires `appliance_id` to be the
 * appliance it trusts, and answers 200 whatever it made of the request (so a problem is only
 * in its log). Its log is what the test checks.
 */
class DeployedReceiver {
  readonly log: string[] = [];
  readonly handled: Record<string, string>[] = [];
  private server: Server | undefined;
  url = '';

  static KNOWN = new Set([
    'support_conference_begin',
    'support_conference_end',
    'support_conference_owner_changed',
    'support_conference_member_added',
    'support_conference_member_departed',
    'support_conference_customer_exit_survey_completed',
    REP_SURVEY,
  ]);

  constructor(private readonly applianceId: () => string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        const vars = Object.fromEntries(new URLSearchParams(body));
        if (vars.appliance_id !== this.applianceId()) {
          this.log.push(`Unknown appliance "${vars.appliance_id}"`);
        } else if (!DeployedReceiver.KNOWN.has(vars.event ?? '')) {
          this.log.push(`Unknown event type "${vars.event}"`);
        } else {
          this.handled.push(vars);
        }
        res.writeHead(200).end('OK');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/servicenow`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

describe('a receiver written for deployed appliances', () => {
  it('gets every survey, with appliance_id and the session’s custom fields', async () => {
    const svc = await service();
    let applianceId = '';
    const deployed = new DeployedReceiver(() => applianceId);
    await deployed.start();
    onCleanup(() => deployed.close());
    applianceId = await storedInstallationId(svc);
    // The same receiver with the defaults: the survey is lost in its log, though "delivered".
    const plain = new DeployedReceiver(() => applianceId);
    await plain.start();
    onCleanup(() => plain.close());
    await addRecipient(svc, {
      name: 'servicenow',
      url: deployed.url,
      repSurveyEventName: 'rep',
      sendApplianceId: true,
      sendCustomFields: true,
    });
    await addRecipient(svc, { name: 'defaults', url: plain.url });
    expect(
      (
        await svc.api('POST', '/api/v1/custom-fields', {
          code_name: 'ticket_id',
          display_name: 'T',
        })
      ).status,
    ).toBe(201);

    const sessions = 3;
    for (let i = 0; i < sessions; i++) {
      const started = await svc.api('POST', '/api/v1/sessions', {});
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const lsid = started.body.lsid as string;
      const s = `/api/v1/sessions/${lsid}`;
      const ok = async (method: string, path: string, body: unknown) => {
        const res = await svc.api(method, path, body);
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      };
      await ok('POST', `${s}/members`, {
        type: 'representative',
        display_name: 'Ann',
        user_id: '12',
        username: 'ann',
      });
      await ok('POST', `${s}/members`, { type: 'customer', display_name: 'Zoë' });
      await ok('PUT', `${s}/attributes`, { ticket_id: `INC-${i} & co` });
      await ok('POST', `${s}/end`, {});
      await ok('POST', `${s}/surveys/customer`, {});
      await ok('POST', `${s}/surveys/representative`, {});
    }
    // The last event of each session is its representative survey; both recipients get all.
    const surveys = () => deployed.handled.filter((v) => v.event === REP_SURVEY);
    await waitFor(
      () => surveys().length === sessions || deployed.log.length > 0,
      `${sessions} surveys handled by the deployed receiver`,
    );
    expect(deployed.log).toEqual([]);
    const total = deployed.handled.length;
    await waitFor(() => plain.log.length === total, `${total} requests at the plain receiver`);
    expect(surveys()).toHaveLength(sessions);

    for (const [i, vars] of surveys().entries()) {
      expect(vars.appliance_id).toBe(applianceId);
      expect(vars.ticket_id).toBe(`INC-${i} & co`);
    }
    // Without the options the same receiver logs every event (no appliance_id): nothing handled.
    expect(plain.handled).toEqual([]);
    expect(plain.log).toHaveLength(total);
  });
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
