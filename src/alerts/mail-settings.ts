/** The SMTP relay alerts and event mails go through (Settings → Email). */
export interface MailSettings {
  host: string;
  port: number;
  /** `tls`: TLS from the start (usually 465); `starttls`: required upgrade (587); `none`. */
  security: 'tls' | 'starttls' | 'none';
  /** Validate the relay's certificate (on unless turned off explicitly). */
  tlsVerify: boolean;
  username: string | null;
  password: string | null;
  /** The From address, e.g. `Outbound <outbound@example.com>`. */
  from: string;
}

/** One mail, plain text. */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
}
