import type { FastifyInstance } from 'fastify';
import { isEventName } from '../../events/index.js';
import { HttpError } from '../../http/http-error.js';
import type { EventSearch } from '../../store/admin-store.js';
import type { AdminContext } from '../context.js';
import { sendPage } from '../respond.js';
import { parseUtcTime } from '../utc-time.js';
import { type EventSearchForm, eventPage, eventsPage, sessionPage } from '../views/events.js';

const PAGE = 50;
/** A session's timeline is short; this bounds a runaway one. */
const TIMELINE = 500;

type Query = Partial<
  Record<'lsid' | 'externalKey' | 'event' | 'from' | 'to' | 'before', string | string[]>
>;

/** The search form as typed, and the search it means (undefined while a field is wrong). */
function readSearch(q: Query): { form: EventSearchForm; search?: EventSearch } {
  // A repeated parameter (?lsid=a&lsid=b) arrives as an array: the first one counts.
  const text = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();
  const form: EventSearchForm = {
    lsid: text(q.lsid),
    externalKey: text(q.externalKey),
    event: text(q.event),
    from: text(q.from),
    to: text(q.to),
    errors: {},
  };
  const search: EventSearch = { limit: PAGE + 1 };
  if (form.lsid) search.lsid = form.lsid;
  if (form.externalKey) search.externalKey = form.externalKey;
  if (form.event) {
    if (isEventName(form.event)) search.name = form.event;
    else form.errors.event = `Event type: unknown event "${form.event}"`;
  }
  for (const key of ['from', 'to'] as const) {
    if (!form[key]) continue;
    const ms = parseUtcTime(form[key]);
    if (Number.isNaN(ms)) form.errors[key] = 'give a time like 2026-11-24T09:30 (UTC)';
    else search[key] = ms;
  }
  if (search.from !== undefined && search.to !== undefined && search.to < search.from)
    form.errors.to = 'must not be before Accepted from';
  const before = text(q.before);
  if (/^\d{1,15}$/.test(before)) search.afterId = Number(before);
  return Object.keys(form.errors).length > 0 ? { form } : { form, search };
}

/** Events: search, one event with its delivery to every recipient, a session's timeline. */
export function eventRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;

  app.get('/admin/events', async (request, reply) => {
    const query = request.query as Query;
    const { form, search } = readSearch(query);
    if (search === undefined)
      return sendPage(reply, eventsPage(sessions.of(request), form, []), 400);
    const found = await api.store.admin.searchEvents(search);
    const shown = found.slice(0, PAGE);
    let older: string | undefined;
    if (found.length > PAGE) {
      const params = new URLSearchParams(
        // The search as read (first of a repeated parameter), not the raw query.
        (['lsid', 'externalKey', 'event', 'from', 'to'] as const)
          .filter((k) => form[k] !== '')
          .map((k): [string, string] => [k, form[k]]),
      );
      params.set('before', String(shown.at(-1)?.id));
      older = `/admin/events?${params}`;
    }
    return sendPage(reply, eventsPage(sessions.of(request), form, shown, older));
  });

  app.get('/admin/events/:id', async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    const event = /^\d{1,15}$/.test(raw) ? await api.store.getEvent(Number(raw)) : undefined;
    if (event === undefined)
      throw new HttpError(404, `no event with id ${raw} (it may have been pruned)`);
    const [deliveries, recipients] = await Promise.all([
      api.store.admin.eventDeliveries(event.id),
      api.store.listRecipients(),
    ]);
    const byId = new Map(recipients.map((r) => [r.id, r]));
    return sendPage(
      reply,
      eventPage(
        sessions.of(request),
        event,
        deliveries.map((delivery) => ({ delivery, recipient: byId.get(delivery.recipientId) })),
      ),
    );
  });

  app.get('/admin/sessions/:lsid', async (request, reply) => {
    const { lsid } = request.params as { lsid: string };
    const [events, record] = await Promise.all([
      api.store.admin.searchEvents({ lsid, order: 'oldest', limit: TIMELINE }),
      api.store.getSession(lsid),
    ]);
    return sendPage(reply, sessionPage(sessions.of(request), lsid, events, record));
  });
}
