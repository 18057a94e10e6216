export type { AlertContext } from './alert-mail.js';
export { alertMail, setAsideMail } from './alert-mail.js';
export type { AlertDecision, AlertRule, AlertState } from './alert-policy.js';
export { afterFailure, afterSuccess, dueAlert, HEALTHY } from './alert-policy.js';
export { Alerter, type AlerterOptions } from './alerter.js';
export { eventMail } from './event-mail.js';
export type { Mail, MailSettings } from './mail-settings.js';
export { Mailer, type RelayStatus } from './mailer.js';
