/**
 * Scenario 10 — reports: 100,000 ended sessions (20,000 with `--quick`), each with a
 * representative, a customer with details, chat, a note, a file transfer, custom attributes
 * and a customer survey (about 20 detail events, ~5 KB of state), stored straight into the
 * SQLite file before `serve` starts. Then one `GET /api/reporting?generate_report=
 * SupportSession&start_time=…&duration=0` with an API account's OAuth2 token reads all of them
 * as one streamed document; the bench times it from the request to the last byte and samples
 * the serve process's RSS every 100 ms. Constant memory is the point: the RSS must not grow
 * with the window.
 */
import { request } from 'undici';
import { NO_LOG } from '../../src/audit/index.js';
import { createApiAccount } from '../../src/operations/api-accounts.js';
import { REPORT_PAGE_SIZE } from '../../src/operations/reports.js';
import { newLsid } from '../../src/sessions/index.js';
import type { SessionState } from '../../src/sessions/types.js';
import { loadSqliteDriver } from '../../src/sqlite/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { prepareStore, RssSampler, Serve } from '../harness.js';
import { log, monoMs, round } from '../util.js';
import type { Context, ScenarioResult } from './types.js';

export const TARGET_RSS_MB = 200;
const T0 = 1_733_000_000;

export async function reports(ctx: Context): Promise<ScenarioResult> {
  const n = ctx.quick ? 20_000 : 100_000;
  const prepared = await prepareStore([]);
  const store = new SqliteStore(prepared.dbPath);
  let clientId: string;
  let secret: string;
  try {
    const created = await createApiAccount(
      { store, clock: () => Date.now() },
      { name: 'siem', reporting: true, command: 'deny' },
      { actor: 'bench', log: NO_LOG },
    );
    clientId = created.account.clientId;
    secret = created.clientSecret;
  } finally {
    await store.close();
  }
  log(`reports: storing ${n.toLocaleString('en-US')} ended sessions`);
  const t0 = performance.now();
  const stateBytes = insertSessions(prepared.dbPath, n);
  log(`reports: stored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const serve = await Serve.start(prepared, ctx.serveOptions);
  const sampler = new RssSampler(serve.pid, 100);
  try {
    const token = await tokenFor(serve.base, clientId, secret);
    const idleRssMb = (sampler.samples[0]?.rssKb ?? 0) / 1024;
    log('reports: SupportSession over the whole window, streamed');
    const from = monoMs();
    const response = await request(
      `${serve.base}/api/reporting?generate_report=SupportSession&start_time=${T0}&duration=0`,
      { headers: { authorization: `Bearer ${token}`, connection: 'close' } },
    );
    if (response.statusCode !== 200) throw new Error(`report: ${response.statusCode}`);
    let bytes = 0;
    let sessions = 0;
    const marker = '<session lsid=';
    let tail = '';
    for await (const chunk of response.body) {
      bytes += (chunk as Buffer).length;
      // Counted in the tail of the last chunk and this one: a marker cut in two counts once.
      const text = tail + (chunk as Buffer).toString('latin1');
      for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
        if (at + marker.length > tail.length) sessions++;
      }
      tail = text.slice(-(marker.length - 1));
    }
    const to = monoMs();
    const memory = sampler.stop();
    const seconds = (to - from) / 1000;
    const rate = sessions / seconds;
    const maxRssMb = memory.maxRssKb / 1024;
    log(
      `reports: ${sessions.toLocaleString('en-US')} sessions in ${seconds.toFixed(1)} s (${Math.round(rate)}/s, ${(bytes / 1048576 / seconds).toFixed(1)} MB/s), max RSS ${maxRssMb.toFixed(1)} MB`,
    );
    if (sessions !== n) throw new Error(`the report had ${sessions} sessions, not ${n}`);
    const label = `${n.toLocaleString('en-US')} sessions in one SupportSession report`;
    return {
      name: 'reports',
      title: 'Reporting API',
      rows: [
        {
          scenario: `10a. ${label}, sessions/s`,
          unit: 'sessions/s',
          outbound: rate,
          baseline: null,
          baselineLabel: null,
          ratio: null,
          target: null,
          pass: null,
        },
        {
          scenario: `10b. ${label}, max RSS of serve`,
          unit: 'MB',
          outbound: maxRssMb,
          baseline: null,
          baselineLabel: null,
          ratio: null,
          target: `< ${TARGET_RSS_MB} MB`,
          pass: maxRssMb < TARGET_RSS_MB && memory.hwmKb / 1024 < TARGET_RSS_MB,
        },
      ],
      details: {
        sessions: n,
        meanStateBytes: round(stateBytes / n),
        reportBytes: bytes,
        seconds: round(seconds, 2),
        sessionsPerSecond: round(rate, 1),
        megabytesPerSecond: round(bytes / 1048576 / seconds, 2),
        memory: {
          idleRssMbBeforeReport: round(idleRssMb, 1),
          maxSampledRssMb: round(maxRssMb, 1),
          peakRssMbVmHWM: round(memory.hwmKb / 1024, 1),
          samples: memory.samples,
        },
      },
      windows: [{ label: 'report', fromMs: from, toMs: to }],
      notes: [
        `Reporting API: ${n.toLocaleString('en-US')} ended sessions (about ${Math.round(stateBytes / n)} bytes of state each: a representative, a customer with details, chat, a note, a file transfer, two custom attributes, a customer survey; ~20 detail events) stored straight into the SQLite file before \`serve\` started. One GET of SupportSession over the whole window with an OAuth2 token, read to the last byte: ${(bytes / 1048576).toFixed(1)} MB in ${seconds.toFixed(1)} s. RSS sampled every 100 ms (${memory.samples} samples): ${idleRssMb.toFixed(1)} MB before the request, max ${maxRssMb.toFixed(1)} MB, kernel peak (VmHWM) ${(memory.hwmKb / 1024).toFixed(1)} MB. The store is read ${REPORT_PAGE_SIZE} sessions per statement (keyset on lseq) and the document streamed with backpressure, so memory does not grow with the window.`,
      ],
    };
  } finally {
    sampler.stop();
    await serve.stop();
  }
}

async function tokenFor(base: string, clientId: string, secret: string): Promise<string> {
  const response = await request(`${base}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.body.json()) as { access_token?: string };
  if (response.statusCode !== 200 || body.access_token === undefined) {
    throw new Error(`token: ${response.statusCode} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/**
 * Writes `n` sessions into the sessions table in one transaction (the bench's setup, not
 * what it measures), numbered as the store numbers them; returns the bytes of state written.
 */
export function insertSessions(dbPath: string, n: number): number {
  const db = loadSqliteDriver().open(dbPath);
  let bytes = 0;
  try {
    const insert = db.prepare(
      'INSERT INTO sessions (lsid, state, version, created_at, updated_at, ended_at, lseq) VALUES (?, ?, 5, ?, ?, ?, ?)',
    );
    db.immediate(() => {
      for (let i = 0; i < n; i++) {
        const start = T0 + i * 30;
        const state = JSON.stringify(sessionState(newLsid(), i, start));
        bytes += state.length;
        insert.run(
          JSON.parse(state).lsid,
          state,
          start * 1000,
          (start + 900) * 1000,
          (start + 900) * 1000,
          i + 1,
        );
      }
      db.prepare('UPDATE session_lseq SET last = ?').run(n);
    });
  } finally {
    db.close();
  }
  return bytes;
}

export function sessionState(lsid: string, i: number, t: number): SessionState {
  const rep = { type: 'system' as const, gsnumber: 1, name: 'Ann Lee' };
  const repParty = { ...rep, type: 'representative' as const };
  const customer = { type: 'customer' as const, gsnumber: 2, name: `Customer ${i}` };
  const chat = (dt: number, from: typeof repParty | typeof customer, body: string) => ({
    timestamp: t + dt,
    type: 'Chat Message' as const,
    performedBy: from,
    body,
  });
  return {
    lsid,
    externalKey: `INC${String(i).padStart(7, '0')}`,
    owner: { conference_id: 'rep:12', conference_name: 'Ann Lee' },
    members: [
      {
        id: 1,
        member: { type: 'representative', display_name: 'Ann Lee', user_id: '12', username: 'ann' },
        present: false,
        joinedAt: t,
        leftAt: t + 900,
        details: { public_ip: '198.51.100.7:443', private_ip: '10.0.0.7', os: 'Windows 11' },
      },
      {
        id: 2,
        member: { type: 'customer', display_name: `Customer ${i}` },
        present: false,
        joinedAt: t + 20,
        leftAt: t + 900,
        details: {
          username: `user${i}`,
          public_ip: '203.0.113.9:51234',
          private_ip: '192.168.1.20',
          hostname: `PC-${i}`,
          os: 'Windows 10 Pro',
          info: { name: `Customer ${i}`, company: 'ACME & Sons', issue: 'Printer offline' },
        },
      },
    ],
    ended: true,
    surveys: { customer: true, representative: false },
    surveyAnswers: {
      customer: [
        { name: 'rating', value: '5' },
        { name: 'comments', value: 'Quick and kind, thank you!' },
      ],
      representative: [],
    },
    customAttributes: { priority: 'high', queue: 'EMEA' },
    fileCounts: { transfers: 1, moves: 0, deletes: 0 },
    details: [
      { timestamp: t, type: 'Session Start' },
      {
        timestamp: t,
        type: 'Conference Owner Changed',
        destination: { ...rep, gsnumber: 0 },
        data: [{ name: 'owner', value: 'rep:12' }],
      },
      { timestamp: t, type: 'Conference Member Added', performedBy: repParty },
      { timestamp: t + 20, type: 'Conference Member Added', performedBy: customer },
      chat(30, repParty, 'Hello, I am Ann. How can I help you today?'),
      chat(60, customer, 'My printer says it is offline & will not print <anything>.'),
      chat(90, repParty, 'Let me take a look: I will reinstall the driver.'),
      chat(400, customer, 'It works now, thanks!'),
      {
        timestamp: t + 300,
        type: 'File Upload',
        performedBy: repParty,
        files: [{ filename: 'printer-driver-x64.zip', filesize: 18_432_000 }],
      },
      {
        timestamp: t + 500,
        type: 'Session Note Added',
        performedBy: repParty,
        body: 'Driver reinstalled.',
      },
      {
        timestamp: t + 510,
        type: 'Custom Attribute Changed',
        data: [
          { name: 'priority', value: 'high' },
          { name: 'queue', value: 'EMEA' },
        ],
      },
      { timestamp: t + 900, type: 'Conference Member Departed', performedBy: repParty },
      { timestamp: t + 900, type: 'Conference Member Departed', performedBy: customer },
      { timestamp: t + 900, type: 'Session End' },
      {
        timestamp: t + 920,
        type: 'Customer Exit Survey',
        performedBy: customer,
        data: [
          { name: 'rating', value: '5' },
          { name: 'comments', value: 'Quick and kind, thank you!' },
        ],
      },
    ],
  };
}
