export type { AlertContext } from './alert-mail.js';
export { alertMail, setAsideMail } from './alert-mail.js';
export type { AlertDecision, AlertRule, AlertState } from './alert-policy.js';
export { afterFailure, afterSuccess, dueAlert, HEALTHY } from './alert-policy.js';
export { Alerter, type AlerterOptions } from './alerter.js';
export { isEmailAddress, senderAddress, splitAddresses } from './email-address.js';
export { EMAIL_EVENTS, emailRecipientInput, MAX_EMAIL_RECIPIENTS } from './email-recipient.js';
export { eventMail } from './event-mail.js';
export { MailRelay } from './mail-relay.js';
export { MAILTO, MailSender } from './mail-sender.js';
export type { Mail, MailSettings } from './mail-settings.js';
export { Mailer, type RelayStatus } from './mailer.js';
export { alertRuleOf, recipientPageUrl } from './recipient-rule.js';
export {
  loadMailSettings,
  MAIL_SETTINGS_KEY,
  maskedMailSettings,
  parseMailSettings,
  saveMailSettings,
} from './relay-settings.js';
