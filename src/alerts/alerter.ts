import type { LaneObserver } from '../delivery/lane-observer.js';
import type { SendResult } from '../delivery/sender.js';
import type { PendingDelivery, Recipient } from '../types.js';
import { type AlertContext, alertMail, setAsideMail } from './alert-mail.js';
import {
  type AlertDecision,
  type AlertRule,
  type AlertState,
  afterFailure,
  afterSuccess,
  dueAlert,
} from './alert-policy.js';
import type { Mail, MailSettings } from './mail-settings.js';
import type { Mailer } from './mailer.js';

export interface AlerterOptions {
  mailer: Mailer;
  /** The relay; undefined while none is configured (alerts are then only logged). */
  settings: () => Promise<MailSettings | undefined>;
  /** A recipient's alert rule; undefined when it has no email contact. */
  ruleFor: (recipient: Recipient) => AlertRule | undefined;
  /** Pending deliveries of a recipient, for the mail. */
  queued: (recipientId: number) => Promise<number>;
  /** Link to a recipient's page in the admin interface, when known. */
  pageUrl?: (recipientId: number) => string | null;
  /** How often a failing recipient is checked between attempts (long back-offs). 15 s. */
  tickMs?: number;
  clock?: () => number;
  onSent?: (mail: Mail) => void;
  onError?: (error: unknown, recipientId: number) => void;
}

interface Watched {
  recipient: Recipient;
  state: AlertState;
  lastError: string | null;
}

/**
 * Error alerts by email, per recipient, from what the lanes report: the policy decides, this
 * keeps each recipient's state and sends. Mails go out one at a time, off the delivery path;
 * a relay that fails is reported and the alert is not retried (the next one will come).
 * State lives in this process: with several nodes, a lane that moves starts a fresh run.
 */
export class Alerter implements LaneObserver {
  private readonly watched = new Map<number, Watched>();
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: AlerterOptions) {
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 15_000);
    this.timer.unref();
  }

  /** Waits for the mails under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sending;
  }

  delivered(recipient: Recipient, _delivery: PendingDelivery, now: number): void {
    const watched = this.watched.get(recipient.id);
    // The hot path: a healthy recipient is not even in the map.
    if (watched === undefined) return;
    const [, decision] = afterSuccess(watched.state);
    this.watched.delete(recipient.id);
    this.decided(watched, decision, now);
  }

  failed(recipient: Recipient, _delivery: PendingDelivery, result: SendResult, now: number): void {
    const rule = this.options.ruleFor(recipient);
    if (rule === undefined) return;
    const watched = this.watch(recipient, result);
    const [state, decision] = afterFailure(watched.state, rule, now);
    watched.state = state;
    this.decided(watched, decision, now);
  }

  setAside(recipient: Recipient, delivery: PendingDelivery, result: SendResult, now: number): void {
    const rule = this.options.ruleFor(recipient);
    if (rule === undefined) return;
    const watched = this.watch(recipient, result);
    // The set-aside attempt is also a failure of the run.
    const [state, decision] = afterFailure(watched.state, rule, now);
    watched.state = state;
    this.decided(watched, decision, now);
    const event = {
      uid: delivery.eventUid,
      name: delivery.eventName,
      lsid: new URLSearchParams(delivery.body).get('lsid') ?? '',
      attempts: delivery.attempts + 1,
    };
    this.enqueue(recipient.id, async () => {
      const context = await this.context(watched);
      return setAsideMail(context, event, rule.contacts);
    });
  }

  /** Resends alerts for recipients still failing while their lanes wait out a back-off. */
  tick(): void {
    const now = this.clock();
    for (const watched of this.watched.values()) {
      const rule = this.options.ruleFor(watched.recipient);
      if (rule === undefined) continue;
      const [state, decision] = dueAlert(watched.state, rule, now);
      watched.state = state;
      this.decided(watched, decision, now);
    }
  }

  private watch(recipient: Recipient, result: SendResult): Watched {
    let watched = this.watched.get(recipient.id);
    if (watched === undefined) {
      watched = { recipient, state: { failingSince: null, lastAlertAt: null }, lastError: null };
      this.watched.set(recipient.id, watched);
    }
    watched.recipient = recipient;
    watched.lastError = result.error;
    return watched;
  }

  private decided(watched: Watched, decision: AlertDecision, now: number): void {
    if (decision.kind === 'none') return;
    const rule = this.options.ruleFor(watched.recipient);
    if (rule === undefined) return;
    this.enqueue(watched.recipient.id, async () =>
      alertMail(decision, await this.context(watched), rule.contacts, now),
    );
  }

  private async context(watched: Watched): Promise<AlertContext> {
    const { recipient } = watched;
    return {
      recipientName: recipient.name,
      url: recipient.url,
      queued: await this.options.queued(recipient.id),
      lastError: watched.lastError,
      pageUrl: this.options.pageUrl?.(recipient.id) ?? null,
    };
  }

  private enqueue(recipientId: number, compose: () => Promise<Mail | undefined>): void {
    this.sending = this.sending.then(async () => {
      try {
        const mail = await compose();
        if (mail === undefined || mail.to.length === 0) return;
        const settings = await this.options.settings();
        if (settings === undefined)
          throw new Error(`no SMTP relay configured for: ${mail.subject}`);
        await this.options.mailer.send(settings, mail);
        this.options.onSent?.(mail);
      } catch (error) {
        this.options.onError?.(error, recipientId);
      }
    });
  }
}
