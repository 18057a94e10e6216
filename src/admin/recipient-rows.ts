import type { OperationsContext } from '../operations/context.js';
import { type RecipientStatus, recipientStatus } from '../operations/recipient-status.js';
import { maskUrl } from '../recipients/index.js';
import type { Recipient } from '../types.js';
import type { DeliveryRate } from './delivery-rate.js';
import { formatAge, formatTime } from './format.js';

export type StatusKind = 'ok' | 'retrying' | 'sending' | 'queued' | 'paused' | 'disabled';

/** One recipient as the table shows it, and as the live stream sends it. */
export interface RecipientRow {
  id: number;
  name: string;
  disabled: 'Yes' | 'No';
  /** Masked (maskUrl): the full URL is shown on the edit form only, when asked. */
  url: string;
  events: string;
  status: string;
  statusKind: StatusKind;
  queued: number;
  failed: number;
  oldestPending: string;
  /**
   * The exact time ("2026-11-24 09:30:00 UTC"), or — when there was none. The pages show it
   * relative, from lastSuccessAt; the row stays the same from one second to the next, so that
   * the live stream sends nothing while nothing happens.
   */
  lastSuccess: string;
  /** ISO 8601, for the <time> element's datetime. */
  lastSuccessAt: string | null;
  lastError: string;
  /** Delivered per minute, over the last minute. */
  rate: string;
}

type Status = RecipientStatus;

/** The appliance's words for a lane's state. */
function statusOf(status: Status): { label: string; kind: StatusKind } {
  switch (status.state) {
    case 'disabled':
      return { label: 'Disabled', kind: 'disabled' };
    case 'paused':
      return { label: 'Paused', kind: 'paused' };
  }
  const failedLast =
    status.lastFailureAt !== null &&
    (status.lastSuccessAt === null || status.lastFailureAt > status.lastSuccessAt);
  if (status.queued > 0 && (status.state === 'waiting' || failedLast)) {
    // The time of day keeps the column narrow; the recipient's queue shows the full time.
    const next =
      status.nextAttemptAt === null ? '' : `, next at ${status.nextAttemptAt.slice(11, 19)} UTC`;
    return { label: `Retrying${next}`, kind: 'retrying' };
  }
  if (status.state === 'sending') return { label: 'Sending', kind: 'sending' };
  if (status.queued > 0) return { label: 'Queued', kind: 'queued' };
  if (status.state === 'held') return { label: 'OK (sent by another node)', kind: 'ok' };
  return { label: 'OK', kind: 'ok' };
}

function perMinute(rate: number | null | undefined): string {
  if (rate == null) return '—';
  return `${rate < 10 ? rate.toFixed(1).replace(/\.0$/, '') : Math.round(rate)}/min`;
}

export const eventsLabel = (events: Recipient['events']): string =>
  events === 'all' ? 'All events' : events.join(', ');

/** Every recipient with its queue and lane status, in name order. */
export async function recipientRows(
  ctx: Pick<OperationsContext, 'store' | 'dispatcher' | 'clock'>,
  rate: DeliveryRate,
): Promise<RecipientRow[]> {
  const [recipients, stats] = await Promise.all([
    ctx.store.listRecipients(),
    ctx.store.laneStats(),
  ]);
  const byId = new Map(stats.map((s) => [s.recipientId, s]));
  const now = ctx.clock();
  const rates = rate.perMinute(
    recipients.map((r) => r.id),
    now,
  );
  return recipients
    .filter((r) => r.kind === 'http') // email recipients have their own page
    .map((r) => {
      const status = recipientStatus(r, byId.get(r.id), ctx.dispatcher.laneStatus(r.id), now);
      const { label, kind } = statusOf(status);
      return {
        id: r.id,
        name: r.name,
        disabled: r.enabled ? 'No' : 'Yes',
        url: maskUrl(r.url),
        events: eventsLabel(r.events),
        status: label,
        statusKind: kind,
        queued: status.queued,
        failed: status.failed,
        oldestPending: formatAge(status.oldestPendingAgeSeconds),
        lastSuccess:
          status.lastSuccessAt === null ? '—' : formatTime(Date.parse(status.lastSuccessAt)),
        lastSuccessAt: status.lastSuccessAt,
        lastError: status.lastError ?? '',
        rate: perMinute(rates.get(r.id)),
      } satisfies RecipientRow;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
