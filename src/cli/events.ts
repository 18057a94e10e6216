import type { Command } from 'commander';
import { eventSummaryJson } from '../api/event-json.js';
import { OutboundError } from '../errors.js';
import { isEventName } from '../events/index.js';
import { type EventFilters, listEvents } from '../operations/events.js';
import { parseIsoTime } from '../operations/iso-time.js';
import { numberFlag } from './number-flag.js';
import { action, UsageError, withStore } from './store-command.js';

interface ListFlags {
  lsid?: string;
  externalKey?: string;
  type?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
  databaseUrl?: string;
}

/** The flags as the listing's filters; a bad one is a usage error naming it. */
function filtersOf(flags: ListFlags): EventFilters {
  const filters: EventFilters = {};
  if (flags.lsid !== undefined) filters.lsid = flags.lsid;
  if (flags.externalKey !== undefined) filters.externalKey = flags.externalKey;
  if (flags.type !== undefined) {
    if (!isEventName(flags.type)) throw new UsageError(`--type: unknown event "${flags.type}"`);
    filters.name = flags.type;
  }
  try {
    if (flags.since !== undefined) filters.since = parseIsoTime(flags.since, '--since');
    if (flags.until !== undefined) filters.until = parseIsoTime(flags.until, '--until');
  } catch (error) {
    if (error instanceof OutboundError) throw new UsageError(error.message);
    throw error;
  }
  return filters;
}

/** `outbound events list`: the events accepted, newest first, as GET /api/v1/events lists them. */
export function eventCommands(program: Command): void {
  const events = program.command('events').description('look at the events accepted');
  events
    .command('list')
    .description(
      'events newest first: accepted at, id, type, lsid, external key, deliveries (delivered/total, pending, failed)',
    )
    .option('--lsid <lsid>', 'only this session’s events')
    .option('--external-key <key>', 'only events with this external key')
    .option('--type <event>', 'only events of this name (support_conference_begin…)')
    .option('--since <time>', 'accepted at or after (ISO 8601 with a zone, or a date)')
    .option('--until <time>', 'accepted at or before (ISO 8601 with a zone, or a date)')
    .option('--limit <n>', 'events per page, 1 to 500 (default 50)')
    .option('--cursor <cursor>', 'the next page: the cursor the previous page printed')
    .option('--json', 'the page as JSON ({events, next_cursor}), as the API answers')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (flags: ListFlags) => {
        const filters = filtersOf(flags);
        const limit =
          flags.limit === undefined
            ? 50
            : numberFlag(flags.limit, '--limit', { min: 1, max: 500, integer: true });
        const page = await withStore(flags.databaseUrl, async (store) => {
          try {
            return await listEvents({ store }, filters, limit, flags.cursor);
          } catch (error) {
            if (error instanceof OutboundError && error.status < 500) {
              throw new UsageError(`--${error.field ?? 'cursor'}: ${error.message}`);
            }
            throw error;
          }
        });
        const shown = page.events.map(({ event, deliveries }) =>
          eventSummaryJson(event, deliveries),
        );
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ events: shown, next_cursor: page.next }, null, 2)}\n`,
          );
          return;
        }
        for (const e of shown) {
          const d = e.deliveries;
          process.stdout.write(
            `${e.created_at}\t${e.id}\t${e.type}\t${e.lsid}\t${e.external_key ?? '-'}\t${d.delivered}/${d.total} delivered, ${d.pending} pending, ${d.failed} failed\n`,
          );
        }
        // On stderr: a pipe of the lines above stays one event a line.
        if (page.next !== null) process.stderr.write(`more: --cursor ${page.next}\n`);
      }),
    );
}
