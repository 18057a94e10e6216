import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../http/http-error.js';
import { listCustomFields } from '../../operations/custom-fields.js';
import type { SessionSearch } from '../../store/session-search.js';
import type { AdminContext } from '../context.js';
import { sendPage } from '../respond.js';
import { parseUtcTime } from '../utc-time.js';
import { type SessionSearchForm, sessionReportsPage } from '../views/reports.js';
import { sessionReportPage, type TimelineEntry } from '../views/session-report.js';

const PAGE = 50;
/** Longer than any name or key a session holds (the API's limits), short enough for a URL. */
const MAX_TEXT = 256;
/** The events shown beside a report, each with its deliveries; the rest are a link away. */
const TIMELINE = 200;

type Query = Partial<
  Record<'from' | 'to' | 'rep' | 'customer' | 'externalKey' | 'before', string | string[]>
>;

/** The search form as typed, and the search it means (undefined while a field is wrong). */
function readSearch(q: Query): { form: SessionSearchForm; search?: SessionSearch } {
  // A repeated parameter arrives as an array: the first one counts.
  const text = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();
  const form: SessionSearchForm = {
    from: text(q.from),
    to: text(q.to),
    rep: text(q.rep),
    customer: text(q.customer),
    externalKey: text(q.externalKey),
    errors: {},
  };
  const search: SessionSearch = { limit: PAGE + 1 };
  for (const key of ['from', 'to'] as const) {
    if (!form[key]) continue;
    const ms = parseUtcTime(form[key]);
    if (Number.isNaN(ms)) form.errors[key] = 'give a time like 2026-11-24T09:30 (UTC)';
    else search[key] = ms;
  }
  if (search.from !== undefined && search.to !== undefined && search.to < search.from)
    form.errors.to = 'must not be before Started from';
  for (const key of ['rep', 'customer', 'externalKey'] as const) {
    if (form[key].length > MAX_TEXT) form.errors[key] = `at most ${MAX_TEXT} characters`;
  }
  if (form.rep) search.representative = form.rep;
  if (form.customer) search.customer = form.customer;
  if (form.externalKey.endsWith('*')) {
    search.externalKey = form.externalKey.slice(0, -1);
    search.externalKeyPrefix = true;
  } else if (form.externalKey) {
    search.externalKey = form.externalKey;
  }
  const before = text(q.before);
  if (/^\d{1,15}$/.test(before)) search.beforeLseq = Number(before);
  return Object.keys(form.errors).length > 0 ? { form } : { form, search };
}

/** Reports → Support sessions: the search, and a session's whole report with its events. */
export function reportRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;

  app.get('/admin/reports/sessions', async (request, reply) => {
    const { form, search } = readSearch(request.query as Query);
    const now = api.clock();
    if (search === undefined)
      return sendPage(reply, sessionReportsPage(sessions.of(request), form, [], now), 400);
    const found = await api.store.searchSessions(search);
    const shown = found.slice(0, PAGE);
    let older: string | undefined;
    if (found.length > PAGE) {
      const params = new URLSearchParams(
        // The search as read (first of a repeated parameter), not the raw query.
        (['from', 'to', 'rep', 'customer', 'externalKey'] as const)
          .filter((k) => form[k] !== '')
          .map((k): [string, string] => [k, form[k]]),
      );
      params.set('before', String(shown.at(-1)?.lseq));
      older = `/admin/reports/sessions?${params}`;
    }
    return sendPage(reply, sessionReportsPage(sessions.of(request), form, shown, now, older));
  });

  app.get('/admin/reports/sessions/:lsid', async (request, reply) => {
    const { lsid } = request.params as { lsid: string };
    const [record, events, recipients, fields] = await Promise.all([
      api.store.getSession(lsid),
      api.store.admin.searchEvents({ lsid, order: 'oldest', limit: TIMELINE + 1 }),
      api.store.listRecipients(),
      listCustomFields(api),
    ]);
    if (record === undefined)
      throw new HttpError(
        404,
        `no session ${lsid} was reported through the sessions API (it may have been pruned; its events may still be under Events)`,
      );
    const byId = new Map(recipients.map((r) => [r.id, r]));
    const shown = events.slice(0, TIMELINE);
    const entries: TimelineEntry[] = await Promise.all(
      shown.map(async (event) => ({
        event,
        deliveries: (await api.store.admin.eventDeliveries(event.id)).map((delivery) => ({
          delivery,
          recipient: byId.get(delivery.recipientId),
        })),
      })),
    );
    return sendPage(
      reply,
      sessionReportPage(sessions.of(request), record, entries, {
        now: api.clock(),
        timelineCut: events.length > TIMELINE,
        fieldNames: new Map(fields.map((f) => [f.codeName, f.displayName])),
      }),
    );
  });
}
