/**
 * The per-recipient wire options (CONTRACT §7) as recipient fields of /api/v1/recipients, on
 * both backends: off by default, each taken on create, changed by PATCH, shown by GET and kept
 * across a restart of the store; a bad value is a 400 naming its field. A custom field's code
 * name may not shadow a variable of the outbound event (it would be sent beside it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend, type TestDatabase } from '../store/backends.js';
import { startService, type TestService } from '../support/service.js';

const OFF = { repSurveyEventName: 'guide', sendApplianceId: false, sendCustomFields: false };

function suite(backend: Backend) {
  let db: TestDatabase;
  let svc: TestService;
  beforeAll(async () => {
    db = await backend.open();
    svc = await startService({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await svc?.stop();
    await db?.cleanup();
  });

  const create = (name: string, options: object = {}) =>
    svc.api('POST', '/api/v1/recipients', { name, url: 'http://127.0.0.1:9/hook', ...options });

  it('are off by default: the guide’s body', async () => {
    const res = await create('plain');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(OFF);
    expect(await svc.service.store.getRecipient(res.body.id)).toMatchObject(OFF);
  });

  it.each([
    [{ repSurveyEventName: 'rep' }],
    [{ sendApplianceId: true }],
    [{ sendCustomFields: true }],
    [{ repSurveyEventName: 'rep', sendApplianceId: true, sendCustomFields: true }],
  ])('are taken on create, each on its own and together: %j', async (options) => {
    const res = await create(`with-${Object.keys(options).join('-')}`, options);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ ...OFF, ...options });
    const shown = await svc.api('GET', `/api/v1/recipients/${res.body.id}`);
    expect(shown.body).toMatchObject({ ...OFF, ...options });
  });

  it('change with PATCH, one at a time, the others kept; GET and the list show them', async () => {
    const { body } = await create('patched');
    const path = `/api/v1/recipients/${body.id}`;
    const steps: [object, object][] = [
      [{ repSurveyEventName: 'rep' }, { ...OFF, repSurveyEventName: 'rep' }],
      [{ sendApplianceId: true }, { repSurveyEventName: 'rep', sendApplianceId: true }],
      [
        { sendCustomFields: true },
        { repSurveyEventName: 'rep', sendApplianceId: true, sendCustomFields: true },
      ],
      [
        { repSurveyEventName: 'guide', sendApplianceId: false },
        { ...OFF, sendCustomFields: true },
      ],
      [{ sendCustomFields: false }, OFF],
    ];
    for (const [patch, expected] of steps) {
      const res = await svc.api('PATCH', path, patch);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject(expected);
      expect((await svc.api('GET', path)).body).toMatchObject(expected);
    }
    await svc.api('PATCH', path, { sendApplianceId: true });
    const list = await svc.api('GET', '/api/v1/recipients');
    const listed = list.body.recipients.find((r: { id: number }) => r.id === body.id);
    expect(listed).toMatchObject({ ...OFF, sendApplianceId: true });
  });

  it('are stored: a second store on the same database reads them', async () => {
    const { body } = await create('stored', { repSurveyEventName: 'rep', sendCustomFields: true });
    const another = db.openAnother();
    await another.migrate();
    expect(await another.getRecipient(body.id)).toMatchObject({
      repSurveyEventName: 'rep',
      sendApplianceId: false,
      sendCustomFields: true,
    });
  });

  it.each([
    ['repSurveyEventName', 'representative'],
    ['repSurveyEventName', 'REP'],
    ['repSurveyEventName', true],
    ['repSurveyEventName', null],
    ['sendApplianceId', 'true'],
    ['sendApplianceId', 1],
    ['sendCustomFields', 'yes'],
    ['sendCustomFields', null],
  ])('refuse %s = %j with a 400 naming the field, on create and on PATCH', async (field, value) => {
    const created = await create(`bad-${field}-${JSON.stringify(value)}`, { [field]: value });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error: 'bad_request', field });
    expect(created.body.message).toMatch(new RegExp(`^${field} must be `));
    const { body } = await create(`good-${field}-${JSON.stringify(value)}`);
    const patched = await svc.api('PATCH', `/api/v1/recipients/${body.id}`, { [field]: value });
    expect(patched.status).toBe(400);
    expect(patched.body).toMatchObject({ error: 'bad_request', field });
    expect((await svc.api('GET', `/api/v1/recipients/${body.id}`)).body).toMatchObject(OFF);
  });

  it('refuses a custom field whose code name is a variable of the outbound event', async () => {
    for (const code_name of [
      'lsid',
      'event',
      'version',
      'timestamp',
      'external_key',
      'appliance_id',
      'conference_id',
      'username',
    ]) {
      const res = await svc.api('POST', '/api/v1/custom-fields', {
        code_name,
        display_name: 'Shadow',
      });
      expect(res.status, code_name).toBe(400);
      expect(res.body, code_name).toMatchObject({ error: 'bad_request', field: 'code_name' });
      expect(res.body.message, code_name).toContain(code_name);
    }
    const fine = await svc.api('POST', '/api/v1/custom-fields', {
      code_name: 'appliance',
      display_name: 'Appliance tag',
    });
    expect(fine.status).toBe(201);
    const listed = await svc.api('GET', '/api/v1/custom-fields');
    expect(JSON.stringify(listed.body)).not.toMatch(/"code_name":"(lsid|event|appliance_id)"/);
  });
}

for (const backend of BACKENDS)
  describe(`recipient wire options on ${backend.name}`, () => suite(backend));
