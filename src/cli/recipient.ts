import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { listedRecipientJson, recipientJson } from '../api/recipient-json.js';
import { loadConfig } from '../config/config.js';
import { DestinationPolicy } from '../delivery/destination-policy.js';
import { destinationWarnings } from '../delivery/destination-warning.js';
import { recipientSnapshot, recipientTarget } from '../operations/recipient-audit.js';
import {
  checkIntervals,
  RECIPIENT_DEFAULTS as D,
  MAX_ALERT_CONTACTS,
  parseRecipientInput,
  parseRecipientPatch,
  splitAddresses,
} from '../recipients/index.js';
import { NameTakenError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import type { Recipient } from '../types.js';
import { auditCliChange } from './audit-change.js';
import { action, UsageError, withStore } from './store-command.js';

interface RecipientFlags {
  events?: string;
  retryInterval?: string;
  retryMaxInterval?: string;
  retryDuration?: string;
  timeout?: string;
  enabled?: boolean;
  disabled?: boolean;
  tlsVerify?: boolean;
  ca?: string;
  header?: string[];
  secret?: string;
  secretRotation?: string;
  alertContact?: string;
  alertAfter?: string;
  resendAlerts?: string;
  repSurveyEventName?: string;
  sendApplianceId?: boolean;
  sendCustomFields?: boolean;
  url?: string;
  name?: string;
  json?: boolean;
  databaseUrl?: string;
}

function withRecipientOptions(command: Command): Command {
  return (
    command
      .option('--events <list>', 'comma-separated event names, or "all"')
      .option(
        '--retry-interval <seconds>',
        `first retry after this (default ${D.retryIntervalSeconds})`,
      )
      .option(
        '--retry-max-interval <seconds>',
        `backoff cap (default ${D.retryMaxIntervalSeconds})`,
      )
      .option(
        '--retry-duration <seconds>',
        `set the head aside after failing this long; 0 = forever (default ${D.retryDurationSeconds})`,
      )
      .option('--timeout <seconds>', `request time-out (default ${D.timeoutSeconds})`)
      .option('--disabled', 'queue nothing for it')
      .option('--enabled', 'enable it again')
      .option('--no-tls-verify', 'do not validate its TLS certificate (only when you must)')
      .option('--ca <file>', 'PEM root certificate to trust for it')
      .option('--header <header...>', 'extra header "Name: value" (repeatable)')
      .option('--secret <whsec>', 'Standard Webhooks signing secret (whsec_…)')
      .option(
        '--secret-rotation <seconds>',
        `a replaced secret keeps signing this long (default ${D.secretRotationSeconds})`,
      )
      .option(
        '--alert-contact <addresses>',
        `Email Contact: error alerts to these addresses (comma-separated, at most ${MAX_ALERT_CONTACTS}; "" = none)`,
      )
      .option(
        '--alert-after <seconds>',
        `Send Email Alert After: failing this long (default ${D.alertAfterSeconds})`,
      )
      .option(
        '--resend-alerts <seconds>',
        `Resend Email Alerts: every so often while failing; 0 = once (default ${D.resendAlertsSeconds})`,
      )
      // Wire options for receivers written for deployed appliances (CONTRACT §7).
      .option(
        '--rep-survey-event-name <guide|rep>',
        `the representative exit survey's name on the wire: guide's, or "rep" for support_conference_rep_exit_survey_completed as appliances send it (default ${D.repSurveyEventName})`,
      )
      .option('--send-appliance-id', "add appliance_id (this installation's id) to each event")
      .option('--no-send-appliance-id', 'stop adding appliance_id (the default)')
      .option('--send-custom-fields', "add the session's custom fields, named by code name")
      .option('--no-send-custom-fields', 'stop adding custom fields (the default)')
      .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
  );
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`${flag} must be a number of seconds, got "${value}"`);
  return n;
}

/** The flags in the API's JSON shape, so that both are validated by the same code. */
function body(flags: RecipientFlags, command: Command): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (flags.name !== undefined) out.name = flags.name;
  if (flags.url !== undefined) out.url = flags.url;
  if (flags.events !== undefined) {
    out.events =
      flags.events.trim() === 'all'
        ? 'all'
        : flags.events
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
  }
  const seconds = {
    retryIntervalSeconds: number(flags.retryInterval, '--retry-interval'),
    retryMaxIntervalSeconds: number(flags.retryMaxInterval, '--retry-max-interval'),
    retryDurationSeconds: number(flags.retryDuration, '--retry-duration'),
    timeoutSeconds: number(flags.timeout, '--timeout'),
    secretRotationSeconds: number(flags.secretRotation, '--secret-rotation'),
    alertAfterSeconds: number(flags.alertAfter, '--alert-after'),
    resendAlertsSeconds: number(flags.resendAlerts, '--resend-alerts'),
  };
  for (const [key, value] of Object.entries(seconds)) if (value !== undefined) out[key] = value;
  if (flags.disabled) out.enabled = false;
  if (flags.enabled) out.enabled = true;
  if (command.getOptionValueSource('tlsVerify') === 'cli') out.tlsVerify = flags.tlsVerify;
  if (flags.repSurveyEventName !== undefined) {
    if (flags.repSurveyEventName !== 'guide' && flags.repSurveyEventName !== 'rep') {
      throw new UsageError(
        `--rep-survey-event-name must be guide or rep, got "${flags.repSurveyEventName}"`,
      );
    }
    out.repSurveyEventName = flags.repSurveyEventName;
  }
  for (const key of ['sendApplianceId', 'sendCustomFields'] as const) {
    if (command.getOptionValueSource(key) === 'cli') out[key] = flags[key];
  }
  if (flags.ca !== undefined) {
    try {
      out.caCertificate = readFileSync(flags.ca, 'utf8');
    } catch (error) {
      throw new UsageError(`--ca ${flags.ca}: ${(error as Error).message}`);
    }
  }
  if (flags.header !== undefined) {
    const headers: Record<string, string> = {};
    for (const h of flags.header) {
      const colon = h.indexOf(':');
      if (colon <= 0) throw new UsageError(`--header must look like "Name: value", got "${h}"`);
      headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
    }
    out.headers = headers;
  }
  if (flags.secret !== undefined) out.secret = flags.secret;
  if (flags.alertContact !== undefined) out.alertContacts = splitAddresses(flags.alertContact);
  return out;
}

async function find(store: Store, ref: string): Promise<Recipient> {
  const byId = /^\d+$/.test(ref) ? await store.getRecipient(Number(ref)) : undefined;
  const recipient = byId ?? (await store.findRecipientByName(ref));
  if (recipient === undefined) throw new UsageError(`no recipient with id or name "${ref}"`);
  return recipient;
}

/**
 * A stderr line when deliveries to `url` would be refused now (saved all the same: serve
 * applies the policy at connect time, with its own OUTBOUND_DESTINATION_* settings).
 */
async function warnAboutDestination(url: string): Promise<void> {
  const config = loadConfig();
  const policy = DestinationPolicy.of({
    allow: config.destinationAllow,
    deny: config.destinationDeny,
  });
  for (const warning of await destinationWarnings(policy, url)) {
    process.stderr.write(`outbound: warning: ${warning}\n`);
  }
}

/**
 * One line per recipient (add, list, update, pause, resume), its URL and header values masked
 * as the API's list shows them: a terminal is read over a shoulder, scrolled back and pasted.
 * `outbound recipient show` prints them in full.
 */
function print(recipient: Recipient, json: boolean | undefined): void {
  const listed = listedRecipientJson(recipient);
  if (json) {
    process.stdout.write(`${JSON.stringify(listed)}\n`);
    return;
  }
  const events = recipient.events === 'all' ? 'all' : recipient.events.join(',');
  const state = !recipient.enabled ? 'disabled' : recipient.paused ? 'paused' : 'enabled';
  process.stdout.write(`${recipient.id}\t${recipient.name}\t${state}\t${listed.url}\t${events}\n`);
}

export function recipientCommands(program: Command): void {
  const recipient = program
    .command('recipient')
    .description('manage HTTP recipients (a running serve picks changes up within a second)');

  withRecipientOptions(
    recipient
      .command('add')
      .description('add an HTTP recipient')
      .argument('<name>')
      .argument('<url>'),
  )
    .option('--json', 'print the recipient as JSON')
    .action(
      action(async (name: string, url: string, flags: RecipientFlags, command: Command) => {
        const input = parseRecipientInput(body({ ...flags, name, url }, command));
        const created = await withStore(flags.databaseUrl, async (store) => {
          // The store refuses a taken name in the insert itself: no check-then-insert race.
          const made = await store.createRecipient(input, Date.now()).catch((error: unknown) => {
            if (error instanceof NameTakenError)
              throw new UsageError(`a recipient named "${name}" already exists`);
            throw error;
          });
          const snapshot = recipientSnapshot(made);
          await auditCliChange(store, 'recipient.create', recipientTarget(made), null, snapshot);
          return made;
        });
        print(created, flags.json);
        await warnAboutDestination(created.url);
      }),
    );

  recipient
    .command('list')
    .description('list recipients')
    .option('--json', 'one JSON object per line')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (flags: RecipientFlags) => {
        const all = await withStore(flags.databaseUrl, (store) => store.listRecipients());
        for (const r of all) print(r, flags.json);
      }),
    );

  recipient
    .command('show')
    .description('show one recipient as JSON, its URL and header values in full')
    .argument('<id-or-name>')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (ref: string, flags: RecipientFlags) => {
        const found = await withStore(flags.databaseUrl, (store) => find(store, ref));
        process.stdout.write(`${JSON.stringify(recipientJson(found), null, 2)}\n`);
      }),
    );

  withRecipientOptions(
    recipient.command('update').description('change a recipient').argument('<id-or-name>'),
  )
    .option('--name <name>', 'new name')
    .option('--url <url>', 'new URL')
    .option('--json', 'print the recipient as JSON')
    .action(
      action(async (ref: string, flags: RecipientFlags, command: Command) => {
        const updated = await withStore(flags.databaseUrl, async (store) => {
          const current = await find(store, ref);
          const patch = parseRecipientPatch(body(flags, command), current);
          checkIntervals({ ...current, ...patch });
          const changed = await store.updateRecipient(current.id, patch, Date.now());
          if (changed !== undefined) {
            const target = recipientTarget(changed);
            const [before, after] = [recipientSnapshot(current), recipientSnapshot(changed)];
            await auditCliChange(store, 'recipient.update', target, before, after);
          }
          return changed;
        });
        if (updated) print(updated, flags.json);
        if (updated && flags.url !== undefined) await warnAboutDestination(updated.url);
      }),
    );

  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    recipient
      .command(verb)
      .description(paused ? 'stop sending (events keep being queued)' : 'send again')
      .argument('<id-or-name>')
      .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
      .action(
        action(async (ref: string, flags: RecipientFlags) => {
          const updated = await withStore(flags.databaseUrl, async (store) => {
            const found = await find(store, ref);
            const changed = await store.updateRecipient(found.id, { paused }, Date.now());
            if (changed !== undefined) {
              await auditCliChange(store, `recipient.${verb}`, recipientTarget(changed), null, {
                paused: changed.paused,
              });
            }
            return changed;
          });
          if (updated) print(updated, false);
        }),
      );
  }

  recipient
    .command('remove')
    .description('delete a recipient with its queue and history')
    .argument('<id-or-name>')
    .option('--database-url <url>', 'store (env OUTBOUND_DATABASE_URL)')
    .action(
      action(async (ref: string, flags: RecipientFlags) => {
        const removed = await withStore(flags.databaseUrl, async (store) => {
          const found = await find(store, ref);
          await store.deleteRecipient(found.id);
          const snapshot = recipientSnapshot(found);
          await auditCliChange(store, 'recipient.delete', recipientTarget(found), snapshot, null);
          return found;
        });
        process.stdout.write(`removed recipient ${removed.id} (${removed.name})\n`);
      }),
    );
}
