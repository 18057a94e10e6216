import type { FastifyInstance } from 'fastify';
import { isEventName } from '../../events/index.js';
import { HttpError } from '../../http/http-error.js';
import { replayFailed } from '../../operations/recipient-actions.js';
import type { EventSearch } from '../../store/admin-store.js';
import type { DeliveryState } from '../../types.js';
import type { AdminContext } from '../context.js';
import { formOf } from '../form.js';
import { recipientTarget } from '../recipient-audit.js';
import { audit, sendPage } from '../respond.js';
import { parseUtcTime } from '../utc-time.js';
import {
  type DeliveryCounts,
  type EventSearchForm,
  eventPage,
  eventsPage,
  STATUS_CHOICES,
  sessionPage,
} from '../views/events.js';

const PAGE = 50;
/** A session's timeline is short; this bounds a runaway one. */
const TIMELINE = 500;

type Query = Partial<
  Record<
    'lsid' | 'externalKey' | 'event' | 'status' | 'from' | 'to' | 'before' | 'notice' | 'retried',
    string | string[]
  >
>;

/** The search's fields, in the order they are put back into a link. */
const SEARCH_FIELDS = ['lsid', 'externalKey', 'event', 'status', 'from', 'to'] as const;

const isDeliveryState = (value: string): value is DeliveryState =>
  STATUS_CHOICES.some(([state]) => state === value);

/** The search form as typed, and the search it means (undefined while a field is wrong). */
function readSearch(q: Query): { form: EventSearchForm; search?: EventSearch } {
  // A repeated parameter (?lsid=a&lsid=b) arrives as an array: the first one counts.
  const text = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? '').trim();
  const form: EventSearchForm = {
    lsid: text(q.lsid),
    externalKey: text(q.externalKey),
    event: text(q.event),
    status: text(q.status),
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
  if (form.status) {
    if (isDeliveryState(form.status)) search.deliveryState = form.status;
    else form.errors.status = `Delivery status: unknown status "${form.status}"`;
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

/** Each event's deliveries counted by state (the Delivery column), by event id. */
async function deliveryCounts(
  api: AdminContext['api'],
  ids: number[],
): Promise<Map<number, DeliveryCounts>> {
  const lists = await Promise.all(ids.map((id) => api.store.admin.eventDeliveries(id)));
  return new Map(
    ids.map((id, i) => {
      const counts: DeliveryCounts = { pending: 0, delivered: 0, failed: 0 };
      for (const d of lists[i] ?? []) counts[d.state]++;
      return [id, counts];
    }),
  );
}

/** The list's address without the notice of a retry, so that a retry comes back to it clean. */
function stripNotice(here: string): string {
  const at = here.indexOf('?');
  if (at < 0) return here;
  const params = new URLSearchParams(here.slice(at + 1));
  params.delete('notice');
  params.delete('retried');
  const rest = params.toString();
  return rest === '' ? here.slice(0, at) : `${here.slice(0, at)}?${rest}`;
}

/** Events: search, one event with its delivery to every recipient, a session's timeline. */
export function eventRoutes(app: FastifyInstance, admin: AdminContext): void {
  const { api, sessions } = admin;

  app.get('/admin/events', async (request, reply) => {
    const query = request.query as Query;
    const { form, search } = readSearch(query);
    const here = `/admin/events${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}`;
    if (search === undefined)
      return sendPage(
        reply,
        eventsPage(sessions.of(request), form, { events: [], counts: new Map(), here }),
        400,
      );
    const found = await api.store.admin.searchEvents(search);
    const shown = found.slice(0, PAGE);
    let older: string | undefined;
    if (found.length > PAGE) {
      const params = new URLSearchParams(
        // The search as read (first of a repeated parameter), not the raw query.
        SEARCH_FIELDS.filter((k) => form[k] !== '').map((k): [string, string] => [k, form[k]]),
      );
      params.set('before', String(shown.at(-1)?.id));
      older = `/admin/events?${params}`;
    }
    const counts = await deliveryCounts(
      api,
      shown.map((e) => e.id),
    );
    const retried = /^\d{1,9}$/.test(String(query.retried ?? '')) ? Number(query.retried) : 0;
    const notice =
      query.notice === 'retried'
        ? retried === 0
          ? 'There was no failed delivery to retry.'
          : `${retried} failed ${retried === 1 ? 'delivery was' : 'deliveries were'} queued again, at ${retried === 1 ? 'its' : 'their'} original place.`
        : undefined;
    return sendPage(
      reply,
      eventsPage(
        sessions.of(request),
        form,
        { events: shown, counts, older, here: stripNotice(here) },
        { notice },
      ),
    );
  });

  /**
   * "Retry failed" on the events list: the failed (set-aside) deliveries of the events posted
   * (those the page showed) are queued again at their place, a recipient at a time, each
   * written to the audit log as a replay of those seqs; then back to the list.
   */
  app.post('/admin/events/retry-failed', async (request, reply) => {
    const form = formOf(request);
    const ids = form.all('event');
    if (ids.length > PAGE || ids.some((id) => !/^\d{1,15}$/.test(id)))
      throw new HttpError(400, `event must be up to ${PAGE} event ids`, 'event');
    const bySeq = new Map<number, number[]>();
    for (const id of new Set(ids)) {
      for (const d of await api.store.admin.eventDeliveries(Number(id))) {
        if (d.state !== 'failed') continue;
        bySeq.set(d.recipientId, [...(bySeq.get(d.recipientId) ?? []), d.seq]);
      }
    }
    let retried = 0;
    for (const [recipientId, found] of bySeq) {
      const seqs = found.sort((a, b) => a - b);
      const recipient = await api.store.getRecipient(recipientId);
      if (recipient === undefined) continue;
      const replayed = await replayFailed(api, recipientId, seqs);
      retried += replayed;
      await audit(admin, request, {
        action: 'recipient.replay',
        target: recipientTarget(recipient),
        before: null,
        after: { seqs, replayed, via: 'events list' },
      });
    }
    const back = form.get('back') ?? '';
    // Only back to the events list: never a redirect elsewhere.
    const list = /^\/admin\/events(\?[^#]*)?$/.test(back) ? back : '/admin/events';
    const params = new URLSearchParams(list.includes('?') ? list.slice(list.indexOf('?') + 1) : '');
    params.set('notice', 'retried');
    params.set('retried', String(retried));
    return reply.redirect(`/admin/events?${params}`, 303);
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
