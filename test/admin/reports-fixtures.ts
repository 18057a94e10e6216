/**
 * Hand-made session states for the Reports → Support sessions tests, stored as the sessions
 * API would store them (store.changeSession), with every part a report shows.
 */
import type { SessionMember, SessionState } from '../../src/sessions/index.js';
import type { Store } from '../../src/store/store.js';

export interface ReportSeed {
  lsid: string;
  externalKey?: string | null;
  customer?: string;
  rep?: { display_name: string; username: string; user_id: string };
  ended?: boolean;
  /** Chat messages from the customer (member 1) to everyone. */
  chat?: string[];
  /** Unix seconds the session started. */
  startedAt?: number;
}

/** A complete state: a customer (member 1) and a representative (member 2) who owns it. */
export function reportState(seed: ReportSeed): SessionState {
  const t0 = seed.startedAt ?? 1_764_000_000;
  const rep = seed.rep ?? { display_name: 'Ann Agent', username: 'ann', user_id: '12' };
  const customerName = seed.customer ?? 'Zoë Müller';
  const members: SessionMember[] = [
    {
      id: 1,
      member: { type: 'customer', display_name: customerName },
      present: !seed.ended,
      details: {
        username: 'zoe',
        public_ip: '203.0.113.7:51234',
        private_ip: '10.0.0.7:51234',
        hostname: 'ZOE-LAPTOP',
        os: 'Windows 11',
        info: {
          name: customerName,
          company: 'Müller & Söhne GmbH',
          company_code: 'MS-42',
          issue: 'Printer offline',
          details: 'Since the update on Monday.',
        },
      },
      joinedAt: t0 + 1,
      leftAt: seed.ended ? t0 + 300 : null,
    },
    {
      id: 2,
      member: { type: 'representative', ...rep },
      present: !seed.ended,
      details: { public_display_name: `${rep.display_name} (Support)`, hostname: 'REP-PC' },
      joinedAt: t0 + 10,
      leftAt: seed.ended ? t0 + 290 : null,
    },
  ];
  const customer = { type: 'customer' as const, gsnumber: 1, name: customerName };
  const representative = { type: 'representative' as const, gsnumber: 2, name: rep.display_name };
  return {
    lsid: seed.lsid,
    externalKey: seed.externalKey ?? null,
    owner: { conference_id: `rep:${rep.user_id}`, conference_name: rep.display_name },
    members,
    ended: seed.ended ?? false,
    surveys: { customer: !!seed.ended, representative: false },
    surveyAnswers: {
      customer: seed.ended
        ? [
            { name: 'rating', value: '5' },
            { name: 'comments', value: 'Quick & <friendly>' },
          ]
        : [],
      representative: [],
    },
    customAttributes: { ticket_queue: 'printers' },
    fileCounts: { transfers: 2, moves: 0, deletes: 0 },
    details: [
      {
        timestamp: t0,
        type: 'Session Start',
        performedBy: { type: 'system', gsnumber: 0, name: 'System' },
      },
      { timestamp: t0 + 1, type: 'Conference Member Added', performedBy: customer },
      { timestamp: t0 + 10, type: 'Conference Member Added', performedBy: representative },
      ...(seed.chat ?? []).map((body, i) => ({
        timestamp: t0 + 20 + i,
        type: 'Chat Message' as const,
        performedBy: customer,
        body,
      })),
      {
        timestamp: t0 + 60,
        type: 'Chat Message',
        performedBy: representative,
        destination: customer,
        body: 'Let me look at the spooler.',
      },
      {
        timestamp: t0 + 70,
        type: 'Session Note Added',
        performedBy: representative,
        body: 'Driver v2 → v3',
      },
      {
        timestamp: t0 + 80,
        type: 'File Upload',
        performedBy: customer,
        files: [{ filename: 'printer-log.txt', filesize: 20_480 }],
      },
      {
        timestamp: t0 + 90,
        type: 'File Download',
        performedBy: representative,
        files: [{ filename: 'driver-v3.exe', filesize: 5_242_880 }],
      },
      {
        timestamp: t0 + 95,
        type: 'Custom Attribute Changed',
        performedBy: representative,
        data: [{ name: 'ticket_queue', value: 'printers' }],
      },
    ],
  };
}

/** Stores the seed's state as a new session started at `startedAt` (ms). */
export async function seedSession(store: Store, seed: ReportSeed, startedAtMs: number) {
  const state = reportState({ ...seed, startedAt: Math.floor(startedAtMs / 1000) });
  await store.changeSession(
    seed.lsid,
    () => ({ state, events: [], result: undefined }),
    startedAtMs,
  );
}
