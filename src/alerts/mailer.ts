import nodemailer, { type Transporter } from 'nodemailer';
import type { Mail, MailSettings } from './mail-settings.js';

/** Whether the relay can be reached, for the settings page: "OK" or what went wrong. */
export interface RelayStatus {
  ok: boolean;
  message: string;
}

/**
 * Sends mail through the configured SMTP relay. One pooled connection, replaced when the
 * settings change; every wait is bounded, so a relay that hangs cannot hold alerts forever.
 */
export class Mailer {
  private transport: Transporter | undefined;
  private settingsKey = '';

  constructor(private readonly timeoutMs = 10_000) {}

  async send(settings: MailSettings, mail: Mail): Promise<void> {
    if (mail.to.length === 0) return;
    await this.transportFor(settings).sendMail({
      from: settings.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
    });
  }

  async status(settings: MailSettings): Promise<RelayStatus> {
    try {
      await this.transportFor(settings).verify();
      return { ok: true, message: 'OK' };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }

  private transportFor(settings: MailSettings): Transporter {
    const key = JSON.stringify(settings);
    if (this.transport !== undefined && key === this.settingsKey) return this.transport;
    this.transport?.close();
    this.settingsKey = key;
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      tls: { rejectUnauthorized: settings.tlsVerify },
      ...(settings.username === null
        ? {}
        : { auth: { user: settings.username, pass: settings.password ?? '' } }),
      pool: true,
      maxConnections: 1,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
    });
    return this.transport;
  }
}
