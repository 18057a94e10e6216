/**
 * A recipient's settings: defaults, limits, validation and the reserved headers, in one
 * place for every door (API, admin form, CLI) and for what stores and sends them (email
 * recipients, the sender). Imports nothing of the server above it.
 */
export { MAX_ALERT_CONTACTS } from './alert-contacts.js';
export { RECIPIENT_DEFAULTS } from './defaults.js';
export { isEmailAddress, splitAddresses } from './email-address.js';
export { RecipientSettingsError } from './errors.js';
export { maskHeaders, maskHeaderValue } from './header-mask.js';
export { MAX_HEADER_NAME_LENGTH, MAX_HEADER_VALUE_LENGTH, MAX_HEADERS } from './headers.js';
export { isReservedHeader, RESERVED_HEADERS } from './reserved-headers.js';
export { maskSecret } from './secret.js';
export { MAX_TIMEOUT_MS, MAX_TIMEOUT_SECONDS } from './timeout-limit.js';
export { MASK, maskUrl } from './url-mask.js';
export { checkIntervals, parseRecipientInput, parseRecipientPatch } from './validate.js';
