import { isEmailAddress } from '../recipients/email-address.js';

/** The address syntax is a recipient setting's (Email Contact); alerts use it too. */
export { isEmailAddress, splitAddresses } from '../recipients/email-address.js';

/**
 * A From address: a bare address or `Display Name <address>`. Undefined when malformed.
 * Returned as given (trimmed) so that the name the administrator chose is kept.
 */
export function senderAddress(value: string): string | undefined {
  const given = value.trim();
  if (isEmailAddress(given)) return given;
  const named = /^([^<>\r\n"]*)<([^<>]+)>$/.exec(given);
  if (named === null || !isEmailAddress(named[2] ?? '')) return undefined;
  return given;
}
