/**
 * What `outbound simulate` puts in the reports: customer and representative details, chat
 * (with private asides), notes, file transfers, custom attributes, external keys set while the
 * session runs, exit surveys with answers. The generator's steps are checked against the
 * sessions API's rules for them; then a run against a real service is read back through
 * GET /api/v1/sessions/{lsid}.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiClient,
  prepareCustomFields,
  type SessionOutcome,
  Simulation,
  type Step,
  sessionSteps,
} from '../../src/simulator/index.js';
import { startService, type TestService } from '../support/service.js';

let service: TestService | undefined;
let fake: Server | undefined;

afterEach(async () => {
  await service?.stop();
  if (fake) await new Promise((resolve) => fake?.close(resolve));
  service = undefined;
  fake = undefined;
});

const FIELDS = ['product', 'priority'] as const;

/** The first step the API would refuse for what only the reports show, or undefined. */
function brokenReportRule(steps: Step[]): string | undefined {
  const present = new Set<number>();
  let ended = false;
  for (const [i, step] of steps.entries()) {
    const at = `step ${i} (${step.call})`;
    const here = (ref: number | undefined) => ref === undefined || present.has(ref);
    switch (step.call) {
      case 'join':
        present.add(step.ref);
        if (step.details === undefined) return `${at}: a member without details`;
        break;
      case 'leave':
        present.delete(step.ref);
        break;
      case 'end':
        present.clear();
        ended = true;
        break;
      case 'chat':
        if (ended || !here(step.from) || !here(step.to))
          return `${at}: not between members present`;
        if (step.body === '') return `${at}: empty`;
        break;
      case 'note':
      case 'file':
        if (ended || !here(step.by)) return `${at}: by a member not present`;
        break;
      case 'attributes':
        if (ended) return `${at}: after the end`;
        for (const name of Object.keys(step.values))
          if (!(FIELDS as readonly string[]).includes(name))
            return `${at}: undefined field ${name}`;
        break;
      default:
        break;
    }
  }
  return undefined;
}

describe('the simulated sessions’ report content', () => {
  it('is a session the API accepts, with every kind of content across sessions', () => {
    const sessions = Array.from({ length: 300 }, (_, i) => sessionSteps('content', i, FIELDS));
    for (const [i, steps] of sessions.entries())
      expect(brokenReportRule(steps), `session ${i}`).toBeUndefined();
    const some = (test: (steps: Step[]) => boolean) => sessions.filter(test).length;
    const has = (call: Step['call']) => some((s) => s.some((step) => step.call === call));
    const counts = {
      chat: has('chat'),
      note: has('note'),
      file: has('file'),
      attributes: has('attributes'),
      upload: some((s) => s.some((x) => x.call === 'file' && x.direction === 'upload')),
      download: some((s) => s.some((x) => x.call === 'file' && x.direction === 'download')),
      privateChat: some((s) => s.some((x) => x.call === 'chat' && x.to !== undefined)),
      keyAfterChat: some((s) => {
        const key = s.findIndex((x) => x.call === 'external-key');
        return key > 0 && s.slice(0, key).some((x) => x.call === 'chat');
      }),
      answered: some((s) => s.some((x) => x.call === 'survey' && (x.answers?.length ?? 0) > 0)),
      emptySurvey: some((s) => s.some((x) => x.call === 'survey' && x.answers === undefined)),
    };
    for (const [what, n] of Object.entries(counts)) expect(n, what).toBeGreaterThan(5);
    // Most sessions carry a conversation; without fields, no attributes.
    expect(counts.chat).toBeGreaterThan(250);
    expect(
      Array.from({ length: 100 }, (_, i) => sessionSteps('content', i)).some((s) =>
        s.some((x) => x.call === 'attributes'),
      ),
    ).toBe(false);
  });

  it('reaches the service: each session’s GET shows its chat, notes, files, attributes and answers', async () => {
    service = await startService();
    const notices: string[] = [];
    const outcomes: SessionOutcome[] = [];
    const result = await new Simulation({
      url: service.url,
      token: service.token,
      sessions: 16,
      rate: 0,
      concurrency: 4,
      seed: 'reports',
      onNotice: (line) => notices.push(line),
      onSession: (o) => outcomes.push(o),
    }).run();
    expect(result.firstErrors).toEqual([]);
    expect(result.done).toBe(16);
    expect(notices).toEqual([
      "defined the custom fields product, priority for the sessions' attributes",
    ]);
    const fields = await service.api('GET', '/api/v1/custom-fields');
    expect(fields.body.custom_fields.map((f: { code_name: string }) => f.code_name).sort()).toEqual(
      ['priority', 'product'],
    );

    const seen = { chat: 0, notes: 0, files: 0, answers: 0, attributes: 0, info: 0 };
    for (const outcome of outcomes) {
      const got = await service.api('GET', `/api/v1/sessions/${outcome.lsid}`);
      expect(got.status).toBe(200);
      const s = got.body;
      const of = <C extends Step['call']>(call: C) =>
        outcome.steps.filter((x): x is Extract<Step, { call: C }> => x.call === call);
      expect(s.chat.map((c: { body: string }) => c.body)).toEqual(of('chat').map((c) => c.body));
      expect(s.chat.filter((c: { to: number | null }) => c.to !== null).length).toBe(
        of('chat').filter((c) => c.to !== undefined).length,
      );
      expect(s.notes.map((n: { body: string }) => n.body)).toEqual(of('note').map((n) => n.body));
      expect(
        s.files.map((f: { filename: string; direction: string; filesize: number }) => [
          f.direction,
          f.filename,
          f.filesize,
        ]),
      ).toEqual(of('file').map((f) => [f.direction, f.filename, f.filesize]));
      expect(s.file_counts.transfers).toBe(of('file').length);
      const attributes = Object.assign({}, ...of('attributes').map((a) => a.values));
      expect(s.custom_attributes).toEqual(attributes);
      for (const party of ['customer', 'representative'] as const) {
        const survey = of('survey').find((x) => x.party === party);
        expect(s.surveys[party]).toBe(survey !== undefined);
        expect(s.survey_answers[party]).toEqual(survey?.answers ?? []);
      }
      const keys = outcome.steps.flatMap((x) =>
        x.call === 'external-key' || (x.call === 'create' && x.externalKey) ? [x.externalKey] : [],
      );
      expect(s.external_key).toBe(keys.at(-1) ?? null);
      const customer = s.members.find((m: { type: string }) => m.type === 'customer');
      expect(customer.details.info.issue).toBeTruthy();
      expect(customer.details.hostname).toBeTruthy();
      const rep = s.members.find((m: { type: string }) => m.type === 'representative');
      if (rep) expect(rep.details.private_display_name).toContain(rep.username);
      seen.chat += s.chat.length > 0 ? 1 : 0;
      seen.notes += s.notes.length > 0 ? 1 : 0;
      seen.files += s.files.length > 0 ? 1 : 0;
      seen.answers +=
        s.survey_answers.customer.length + s.survey_answers.representative.length > 0 ? 1 : 0;
      seen.attributes += Object.keys(s.custom_attributes).length > 0 ? 1 : 0;
      seen.info += customer.details.info.company ? 1 : 0;
    }
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);

    // A second run finds the fields defined and says nothing about them.
    const again: string[] = [];
    await new Simulation({
      url: service.url,
      token: service.token,
      sessions: 1,
      rate: 0,
      concurrency: 1,
      seed: 'again',
      onNotice: (line) => again.push(line),
    }).run();
    expect(again).toEqual([]);
  });

  it('skips custom attributes, saying why, when the token may not define fields', async () => {
    fake = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.method === 'GET') return json(200, { custom_fields: [] });
        json(403, { error: 'forbidden', message: 'this token may not change custom fields' });
      });
    });
    await new Promise<void>((resolve) => fake?.listen(0, '127.0.0.1', resolve));
    const api = new ApiClient(`http://127.0.0.1:${(fake.address() as AddressInfo).port}`, 't');
    try {
      expect(await prepareCustomFields(api)).toEqual({
        fields: [],
        notice:
          'POST /api/v1/custom-fields → 403: this token may not change custom fields: sessions get no custom attributes',
      });
    } finally {
      await api.close();
    }
  });
});
