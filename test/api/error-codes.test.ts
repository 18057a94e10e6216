/**
 * Errors keep their codes at the HTTP edge: a use case's refusal answers its status with
 * `{ error: <its code>, message, field? }`. Where callers have always been told the generic
 * code of the status (`conflict` for a taken name or an ended session), they still are.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/errors.js';
import { sendError } from '../../src/http/error-handler.js';
import { SessionError } from '../../src/sessions/index.js';
import { startService, type TestService } from '../support/service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => {
  await svc.stop();
});

describe('error codes', () => {
  it('a test event for a disabled recipient is refused as recipient_disabled', async () => {
    const made = await svc.api('POST', '/api/v1/recipients', {
      name: 'off',
      url: 'http://127.0.0.1:9/hook',
      enabled: false,
    });
    expect(made.status).toBe(201);
    expect(await svc.api('POST', `/api/v1/recipients/${made.body.id}/test`)).toEqual({
      status: 409,
      body: { error: 'recipient_disabled', message: 'the recipient is disabled: enable it first' },
    });
  });

  it('a taken name keeps the generic conflict; a session step carries its own code', async () => {
    const first = { name: 'taken', url: 'http://127.0.0.1:9/hook' };
    expect((await svc.api('POST', '/api/v1/recipients', first)).status).toBe(201);
    expect(await svc.api('POST', '/api/v1/recipients', first)).toEqual({
      status: 409,
      body: {
        error: 'conflict',
        message: 'a recipient named "taken" already exists',
        field: 'name',
      },
    });
    const { lsid } = (await svc.api('POST', '/api/v1/sessions', {})).body;
    expect((await svc.api('POST', `/api/v1/sessions/${lsid}/end`)).status).toBe(200);
    expect(await svc.api('POST', `/api/v1/sessions/${lsid}/end`)).toEqual({
      status: 409,
      body: { error: 'session_ended', message: `session ${lsid} has ended` },
    });
  });

  it('the body carries the code of any error of the family', async () => {
    const app = Fastify();
    app.setErrorHandler(sendError);
    const errors = [
      new ConflictError('busy', { code: 'OUTBOUND_LANE_BUSY' }),
      new NotFoundError('gone'),
      new InvalidInputError('too long', 'name'),
      new SessionError('SESSION_ENDED', 'session L1 has ended'),
    ];
    errors.forEach((error, i) => {
      app.get(`/${i}`, async () => {
        throw error;
      });
    });
    const answers = [];
    for (const i of errors.keys()) {
      const res = await app.inject({ method: 'GET', url: `/${i}` });
      answers.push({ status: res.statusCode, body: res.json() });
    }
    await app.close();
    expect(answers).toEqual([
      { status: 409, body: { error: 'lane_busy', message: 'busy' } },
      { status: 404, body: { error: 'not_found', message: 'gone' } },
      { status: 400, body: { error: 'bad_request', message: 'too long', field: 'name' } },
      { status: 409, body: { error: 'session_ended', message: 'session L1 has ended' } },
    ]);
  });
});
