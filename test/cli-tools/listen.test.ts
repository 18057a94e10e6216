/** `outbound listen`: checks, output, failing on purpose, delays, the --out file, the command. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  answerPolicy,
  createOutput,
  describeAnswers,
  formatLine,
  inspectRequest,
  Listener,
  type ListenerOptions,
  type ReceivedRecord,
  summarize,
  wantsColor,
} from '../../src/listener/index.js';
import { waitUntil } from '../support/wait.js';
import { freePort, killChildren, post, startCli } from './helpers.js';

const BEGIN = 'event=support_conference_begin&version=1&timestamp=1700000000&lsid=42';
const REP =
  'event=support_conference_member_added&version=1&timestamp=1700000000&lsid=42' +
  '&type=representative&display_name=Jos%C3%A9+M%C3%BCller&user_id=17&username=jose';

function inspect(body: string, method = 'POST', contentType = 'application/x-www-form-urlencoded') {
  return inspectRequest({ method, path: '/', contentType, body: Buffer.from(body) });
}

describe('inspectRequest', () => {
  it('finds nothing wrong with valid events, the alias name included', () => {
    for (const body of [
      BEGIN,
      REP,
      `${BEGIN}&external_key=INC-7`,
      'event=support_conference_rep_exit_survey_completed&version=1&timestamp=1&lsid=9',
    ]) {
      const result = inspect(body);
      expect(result.problems, body).toEqual([]);
      expect(result.isEvent).toBe(true);
    }
    expect(inspect(REP).variables.display_name).toBe('José Müller');
    expect(
      inspect(REP, 'POST', 'application/x-www-form-urlencoded; charset=UTF-8').problems,
    ).toEqual([]);
  });

  it('flags a broken escape or bytes that are not UTF-8, as the API refuses them', () => {
    expect(inspect(`${BEGIN}&external_key=%zz`).problems).toEqual([
      expect.stringMatching(/external_key.*%zz|%zz.*external_key|escape/),
    ]);
    expect(inspect(`${BEGIN}&external_key=%ff`).problems).toEqual([
      'external_key is not valid UTF-8 once percent-decoded',
    ]);
  });

  it('flags unknown fields, missing variables, duplicates, method and content type', () => {
    expect(inspect(`${BEGIN}&Foo=1&bar-baz=2`).problems).toEqual([
      'unknown field "Foo"',
      'unknown field "bar-baz"',
    ]);
    expect(inspect('event=support_conference_end&version=1&timestamp=1').problems).toEqual([
      'missing variable lsid',
    ]);
    expect(inspect(`${BEGIN}&lsid=43`).problems).toEqual(['duplicate variable "lsid"']);
    expect(inspect(`${BEGIN}&lsid=43`).lsid).toBe('42');
    expect(inspect(BEGIN, 'PUT').problems).toEqual(['not a POST (PUT)']);
    expect(inspect(BEGIN, 'POST', 'text/plain').problems).toEqual([
      'not form-encoded (content-type text/plain)',
    ]);
    expect(
      inspect(BEGIN, 'POST', 'application/x-www-form-urlencoded; charset=latin1').problems,
    ).toEqual(['charset latin1 is not UTF-8']);
    expect(inspect('', 'POST').problems).toEqual(['empty body']);
    expect(inspect('', 'GET', undefined as unknown as string).problems).toEqual([
      'not a POST (GET)',
    ]);
    expect(inspect('lsid=1').problems).toEqual(['missing variable event']);
    expect(inspect('event=support_conference_paused&lsid=1').problems).toEqual([
      'unknown event "support_conference_paused"',
    ]);
  });

  it('flags every bad value, not only the first', () => {
    const body =
      'event=support_conference_member_added&version=2&timestamp=soon&lsid=42' +
      '&type=customer&display_name=&user_id=5&external_key=';
    expect(inspect(body).problems).toEqual([
      'version must be 1',
      'timestamp must be Unix seconds: a whole number from 0 to 253402300799',
      'external_key must be a non-empty string',
      'display_name must be a non-empty string',
      'user_id is only sent for a representative',
    ]);
    const rep =
      'event=support_conference_member_departed&version=1&timestamp=1&type=representative&display_name=A';
    expect(inspect(rep).problems).toEqual([
      'missing variable lsid',
      'missing variable user_id',
      'missing variable username',
    ]);
    expect(inspect(`${REP.replace('representative', 'robot')}`).problems).toEqual([
      'type must be "customer" or "representative"',
    ]);
  });

  it('shows a JSON body as it is instead of reading it as a form', () => {
    const result = inspect('{"event":"support_conference_begin"}', 'POST', 'application/json');
    expect(result.problems).toEqual(['not form-encoded (content-type application/json)']);
    expect(result.rawBody).toBe('{"event":"support_conference_begin"}');
    expect(
      inspectRequest({
        method: 'POST',
        path: '/',
        contentType: undefined,
        body: Buffer.from([0xff]),
      }).problems,
    ).toContain('body is not valid UTF-8');
  });
});

function record(overrides: Partial<ReceivedRecord> = {}): ReceivedRecord {
  return {
    receivedAt: new Date(2025, 0, 2, 3, 4, 5, 6).toISOString(),
    method: 'POST',
    path: '/hook',
    status: 200,
    failed: false,
    resent: false,
    headers: {},
    event: 'support_conference_member_added',
    lsid: '42',
    variables: {
      event: 'support_conference_member_added',
      lsid: '42',
      type: 'customer',
      display_name: 'Zoë Martin',
      external_key: 'INC-7',
    },
    problems: [],
    ...overrides,
  };
}

describe('formatLine', () => {
  it('prints local time, event, lsid, then key=value, quoting values with spaces', () => {
    expect(formatLine(record(), { color: false })).toBe(
      '03:04:05.006  support_conference_member_added     42  type=customer display_name="Zoë Martin" external_key=INC-7',
    );
  });

  it('adds problems, the failure status and re-sends; colours only when asked', () => {
    const line = formatLine(
      record({ problems: ['unknown field "foo"'], failed: true, status: 503, resent: true }),
      { color: false },
    );
    expect(line).toMatch(/ {2}! unknown field "foo" {2}→ 503 {2}\(resent\)$/);
    const coloured = formatLine(record({ problems: ['x'] }), { color: true });
    expect(coloured).toContain('\x1b[31m! x\x1b[0m');
    expect(formatLine(record(), { color: false })).not.toContain('\x1b');
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
  });

  it('keeps a value with a newline on one line', () => {
    const line = formatLine(
      record({ variables: { event: 'e', lsid: '1', display_name: 'a\nb', x: '' } }),
      { color: false },
    );
    expect(line).toContain('display_name="a\\nb" x=""');
    expect(line.includes('\n')).toBe(false);
  });
});

describe('answer policy', () => {
  it('fails the same share of requests, the same ones for the same seed', () => {
    const pick = (seed: string) => {
      const answer = answerPolicy({ failRate: 0.3, seed });
      return Array.from({ length: 400 }, () => answer().status);
    };
    const a = pick('7');
    expect(pick('7')).toEqual(a);
    expect(pick('8')).not.toEqual(a);
    const failures = a.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(80);
    expect(failures).toBeLessThan(160);
    expect(new Set(a)).toEqual(new Set([200, 500]));
  });

  it('--status alone fails every request; no flag fails none', () => {
    const always = answerPolicy({ status: 503 });
    expect([always(), always()]).toEqual([
      { status: 503, failed: true },
      { status: 503, failed: true },
    ]);
    expect(answerPolicy({})()).toEqual({ status: 200, failed: false });
    expect(answerPolicy({ failRate: 1, status: 429 })()).toEqual({ status: 429, failed: true });
    expect(describeAnswers({})).toBe('answering 200 to every request');
    expect(describeAnswers({ status: 503, delayMs: 20 })).toBe(
      'answering 503 to every request, after 20 ms',
    );
    expect(describeAnswers({ failRate: 0.2, seed: '4' })).toBe(
      'answering 500 to 20% of requests (seed 4), 200 otherwise',
    );
  });
});

describe('Listener', () => {
  let listener: Listener | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-listen-'));
  });
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(options: ListenerOptions = {}) {
    const records: ReceivedRecord[] = [];
    let console = '';
    const output = createOutput({
      stream: { write: (text: string) => (console += text) },
      outFile: join(dir, 'events.jsonl'),
    });
    listener = await Listener.start({
      port: 0,
      ...options,
      onRecord: (r) => {
        records.push(r);
        output.write(r);
      },
    });
    return { listener, records, console: () => console, output };
  }

  it('answers 200 to everything, reports each request, and appends JSON lines to --out', async () => {
    const { listener, records, console, output } = await start();
    const url = `${listener.url}hook?token=a%2Bb`;
    expect((await post(url, REP, { headers: { 'webhook-id': 'evt_1' } })).status).toBe(200);
    expect((await post(url, `${BEGIN}&Foo=1`)).status).toBe(200);
    expect((await post(url, '{"a":1}', { contentType: 'application/json' })).status).toBe(200);
    expect((await post(url, '', { method: 'GET' })).status).toBe(200);
    expect(
      (await post(url, REP, { headers: { 'webhook-id': 'evt_1', 'x-api-key': 'k' } })).status,
    ).toBe(200);
    output.close();

    expect(listener.stats).toEqual({ requests: 5, events: 3, problems: 3, failures: 0 });
    expect(summarize(listener.stats)).toBe(
      '5 requests, 3 events, 3 with problems, 0 failures answered',
    );
    expect(records[0]).toMatchObject({
      method: 'POST',
      path: '/hook?token=a%2Bb',
      status: 200,
      event: 'support_conference_member_added',
      lsid: '42',
      headers: { 'webhook-id': 'evt_1', 'content-type': 'application/x-www-form-urlencoded' },
      problems: [],
      resent: false,
    });
    expect(records[4]).toMatchObject({ resent: true, headers: { 'x-api-key': 'k' } });
    const lines = console().trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} {2}support_conference_member_added {5}42 {2}version=1 timestamp=1700000000 type=representative display_name="José Müller" user_id=17 username=jose$/,
    );
    expect(lines[1]).toMatch(/Foo=1 {2}! unknown field "Foo"$/);
    expect(lines[2]).toContain('! not form-encoded (content-type application/json)');
    expect(lines[3]).toContain('GET /hook?token=a%2Bb');
    expect(lines[3]).toContain('! not a POST (GET)');
    expect(lines[4]).toMatch(/\(resent\)$/);

    const file = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    expect(file.map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(records)));
  });

  it('--fail-rate answers the failure status to a repeatable share; --status alone to all', async () => {
    const run = async (options: ListenerOptions) => {
      const { listener } = await start(options);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await post(listener.url, BEGIN)).status);
      const stats = { ...listener.stats };
      await listener.close();
      return { statuses, stats };
    };
    const a = await run({ failRate: 0.5, status: 503, seed: 'x' });
    const b = await run({ failRate: 0.5, status: 503, seed: 'x' });
    expect(b.statuses).toEqual(a.statuses);
    expect(new Set(a.statuses)).toEqual(new Set([200, 503]));
    expect(a.stats.failures).toBe(a.statuses.filter((s) => s === 503).length);
    const all = await run({ status: 500 });
    expect(new Set(all.statuses)).toEqual(new Set([500]));
    expect(all.stats.failures).toBe(40);
  });

  it('--delay waits before answering, and close() drops requests still waiting', async () => {
    const { listener, records } = await start({ delayMs: 150 });
    const answered = await post(listener.url, BEGIN);
    expect(answered.status).toBe(200);
    expect(answered.ms).toBeGreaterThanOrEqual(140);
    const pending = post(listener.url, BEGIN).catch((error: Error) => error);
    await waitUntil(() => records.length === 2, 'the second request');
    await listener.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('outbound listen (the command)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbound-listen-cli-'));
  });
  afterEach(async () => {
    await killChildren();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints JSON lines, appends them to --out, fails on purpose, and sums up on Ctrl-C', async () => {
    const port = await freePort();
    const out = join(dir, 'out.jsonl');
    const cli = startCli([
      'listen',
      '--port',
      String(port),
      '--json',
      '--out',
      out,
      '--fail-rate',
      '0.5',
      '--seed',
      '3',
      '--status',
      '502',
    ]);
    await waitUntil(() => cli.stderr().includes('listening on'), 'the start line', 20_000);
    expect(cli.stderr()).toContain(
      `outbound listen: listening on http://127.0.0.1:${port}/, answering 502 to 50% of requests (seed 3), 200 otherwise; checking every request against schema 1; appending JSON lines to ${out}. Ctrl-C to stop.`,
    );
    const url = `http://127.0.0.1:${port}/in`;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await post(url, i === 3 ? `${BEGIN}&Foo=1` : REP)).status);
    await waitUntil(() => cli.stdout().split('\n').length > 10, 'ten JSON lines');
    const lines = cli
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.status)).toEqual(statuses);
    expect(statuses).toContain(502);
    expect(statuses).toContain(200);
    expect(lines[3].problems).toEqual(['unknown field "Foo"']);
    expect(lines[0]).toMatchObject({ method: 'POST', path: '/in', lsid: '42', problems: [] });
    expect(typeof lines[0].receivedAt).toBe('string');
    expect(readFileSync(out, 'utf8')).toBe(cli.stdout());

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const failures = statuses.filter((s) => s === 502).length;
    expect(cli.stderr()).toContain(
      `outbound listen: 10 requests, 10 events, 1 with problems, ${failures} failure${failures === 1 ? '' : 's'} answered`,
    );
  });

  it('refuses bad flags with exit code 2', async () => {
    const cli = startCli(['listen', '--fail-rate', '2']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toBe('outbound: --fail-rate must be a number from 0 to 1, got "2"\n');
  });
});
