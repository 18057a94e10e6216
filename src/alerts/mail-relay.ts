import type { SettingsStore } from '../store/settings-store.js';
import type { Mail, MailSettings } from './mail-settings.js';
import type { Mailer, RelayStatus } from './mailer.js';
import { loadMailSettings, saveMailSettings } from './relay-settings.js';

/** Until a relay is saved, mail cannot go anywhere; the pages say so. */
const NOT_CONFIGURED: RelayStatus = {
  ok: false,
  message: 'No SMTP relay configured (Settings → Email)',
};

/**
 * The SMTP relay the service mails through: its settings from the store (so every node uses
 * what was saved last) and its status for the pages, cached briefly because checking it
 * opens a connection to the relay.
 */
export class MailRelay {
  private cached: { key: string; at: number; status: Promise<RelayStatus> } | undefined;

  constructor(
    readonly mailer: Mailer,
    private readonly store: SettingsStore,
    private readonly clock: () => number = Date.now,
    private readonly statusTtlMs = 30_000,
  ) {}

  settings(): Promise<MailSettings | undefined> {
    return loadMailSettings(this.store);
  }

  async save(settings: MailSettings, now: number): Promise<void> {
    await saveMailSettings(this.store, settings, now);
    this.cached = undefined;
  }

  /** "OK", or what went wrong reaching the relay. */
  async status(): Promise<RelayStatus> {
    const settings = await this.settings();
    if (settings === undefined) return NOT_CONFIGURED;
    const key = JSON.stringify(settings);
    const now = this.clock();
    if (this.cached?.key !== key || now - this.cached.at >= this.statusTtlMs) {
      this.cached = { key, at: now, status: this.mailer.status(settings) };
    }
    return this.cached.status;
  }

  /** Sends through the saved relay; throws when none is saved or the relay refuses. */
  /**
   * Sends `mail` through the relay. `beforeHandOver`, when given, is asked after the settings
   * were read and right before the mailer has the mail: false sends nothing (and resolves false).
   */
  async send(mail: Mail, beforeHandOver?: () => boolean): Promise<boolean> {
    const settings = await this.settings();
    if (settings === undefined) throw new Error(NOT_CONFIGURED.message);
    if (beforeHandOver !== undefined && !beforeHandOver()) return false;
    await this.mailer.send(settings, mail);
    return true;
  }
}
