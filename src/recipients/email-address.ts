/**
 * Addresses as an administrator types them. Deliberately plain: `local@domain` with no spaces,
 * angle brackets or line breaks (a line break in an address would let it add mail headers),
 * a dot in the domain unless it is `localhost`. The relay has the last word; this catches
 * typing mistakes where the field is, rather than in a failed alert hours later.
 */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@(?:localhost|[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+)$/;

/** The longest address SMTP carries (RFC 5321's path limit less its brackets). */
const MAX_LENGTH = 254;

export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_LENGTH && ADDRESS.test(value);
}

/** A list typed in one field (commas, semicolons, spaces or line breaks between addresses). */
export function splitAddresses(text: string): string[] {
  return text.split(/[\s,;]+/).filter((a) => a !== '');
}
