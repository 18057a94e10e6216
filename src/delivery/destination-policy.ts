/**
 * Which addresses deliveries may connect to. Pure: parsing of addresses and CIDR ranges, the
 * normalisation of every spelling of an address, and the decision. The connector
 * (destination-connector.ts) applies it to the address it is about to connect to.
 *
 * The decision, in this order (the first that applies wins):
 * 1. an address in an operator deny range is refused (deny beats allow);
 * 2. an address in a built-in refused range (BUILT_IN_REFUSED) is refused, unless an operator
 *    allow range lies inside that built-in range and holds the address: allowing
 *    169.254.169.254/32 or 169.254.0.0/16 lifts it, a broad 0.0.0.0/0 does not;
 * 3. with an allow list set, an address in none of its ranges is refused ("only these");
 * 4. anything else is allowed: loopback and private ranges too, where on-prem receivers live.
 *
 * An IPv6 address that embeds an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated
 * ::ffff:0:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d) is judged as both: a
 * rule that holds either form applies. IPv4 is read in every inet_aton spelling (2130706433,
 * 0x7f000001, 0177.0.0.1, 127.1), so a literal can never be written past a range.
 */

export interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface AddressRange {
  readonly family: 4 | 6;
  /** The first address of the range (host bits zero). */
  readonly base: bigint;
  readonly prefix: number;
  /** As written, for messages. */
  readonly text: string;
}

/** Why a destination is refused, in words for the attempt's error and the save warning. */
export interface Refusal {
  readonly reason: string;
}

interface BuiltIn {
  readonly range: AddressRange;
  readonly label: string;
}

const BITS = { 4: 32, 6: 128 } as const;
const V4_MAPPED = 0xffffn << 32n; // ::ffff:0:0/96
const V4_TRANSLATED = 0xffffn << 48n; // ::ffff:0:0:0/96
const NAT64 = 0x0064ff9bn << 96n; // 64:ff9b::/96
const LOW_32 = (1n << 32n) - 1n;

/**
 * Refused unless an operator allows them explicitly. Link-local holds the cloud metadata
 * services (AWS, GCP, Azure, Oracle, DigitalOcean… at 169.254.169.254; AWS ECS at
 * 169.254.170.2); the others are metadata services elsewhere, or addresses that are not one
 * host (connecting to 0.0.0.0 or :: reaches the local host on Linux).
 */
export const BUILT_IN_REFUSED: readonly BuiltIn[] = [
  ['0.0.0.0/8', 'an unspecified ("this network") address'],
  ['::/128', 'the unspecified address'],
  ['169.254.0.0/16', 'a link-local address (cloud metadata lives there)'],
  ['fe80::/10', 'a link-local address'],
  ['fd00:ec2::254/128', 'the AWS metadata service (IPv6)'],
  ['100.100.100.200/32', 'the Alibaba Cloud metadata service'],
  ['224.0.0.0/4', 'a multicast address'],
  ['ff00::/8', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved or broadcast address'],
].map(([text, label]) => ({ range: parseRange(text as string), label: label as string }));

/**
 * Host names of cloud metadata services, refused by name before any DNS query (after lower
 * casing and dropping trailing dots). They resolve to link-local addresses anyway; refusing the
 * name also covers a resolver that answers something else for them.
 */
export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata', // GCE's short name, through the search domain
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'metadata.tencentyun.com',
  'instance-data', // AWS
  'instance-data.ec2.internal',
]);

/** Raised for a bad allow or deny entry; config.ts names the setting. */
export class RangeSyntaxError extends Error {
  constructor(
    readonly entry: string,
    message: string,
  ) {
    super(message);
    this.name = 'RangeSyntaxError';
  }
}

export class DestinationPolicy {
  /** The built-in refusals only: what a service without allow or deny settings applies. */
  static readonly DEFAULT = new DestinationPolicy([], []);

  private constructor(
    readonly allow: readonly AddressRange[],
    readonly deny: readonly AddressRange[],
  ) {}

  /** Throws RangeSyntaxError on the first bad entry. */
  static of(settings: { allow?: readonly string[]; deny?: readonly string[] }): DestinationPolicy {
    const allow = (settings.allow ?? []).map(parseRange);
    const deny = (settings.deny ?? []).map(parseRange);
    if (allow.length === 0 && deny.length === 0) return DestinationPolicy.DEFAULT;
    return new DestinationPolicy(allow, deny);
  }

  /**
   * What can be decided from the host alone: a metadata name, or an address literal in any
   * spelling. Null for any other name: its resolved addresses decide (`checkAddress`).
   */
  checkHost(hostname: string): Refusal | null {
    const name = normaliseHostname(hostname);
    if (METADATA_HOSTNAMES.has(name)) {
      return { reason: `${name} is a cloud metadata host name, refused by default` };
    }
    const address = parseAddress(name);
    return address === null ? null : this.checkAddress(address);
  }

  checkAddress(address: Address | string): Refusal | null {
    const parsed = typeof address === 'string' ? parseAddress(address) : address;
    if (parsed === null) return { reason: `${String(address)} is not an IP address` };
    const forms = formsOf(parsed);
    const shown = formatAddress(parsed);
    for (const form of forms) {
      const rule = this.deny.find((r) => contains(r, form));
      if (rule) return { reason: `${shown} is in the deny list (${rule.text})` };
    }
    for (const form of forms) {
      const builtIn = BUILT_IN_REFUSED.find((b) => contains(b.range, form));
      if (builtIn === undefined) continue;
      const lifted = this.allow.some((a) => within(a, builtIn.range) && contains(a, form));
      if (!lifted) {
        return {
          reason: `${shown} is ${builtIn.label}, refused by default (allow ${builtIn.range.text} or part of it to send there)`,
        };
      }
    }
    if (this.allow.length > 0 && !forms.some((f) => this.allow.some((a) => contains(a, f)))) {
      return { reason: `${shown} is not in the allow list` };
    }
    return null;
  }
}

export function normaliseHostname(hostname: string): string {
  let name = hostname.trim().toLowerCase();
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  return name.replace(/\.+$/, '');
}

/** The address and, for an IPv6 address that embeds an IPv4 one, that IPv4 address. */
export function formsOf(address: Address): Address[] {
  const embedded = embeddedIpv4(address);
  return embedded === null ? [address] : [address, embedded];
}

function embeddedIpv4(a: Address): Address | null {
  if (a.family !== 6) return null;
  const high = a.value & ~LOW_32;
  const low = a.value & LOW_32;
  if (high === V4_MAPPED || high === V4_TRANSLATED || high === NAT64) {
    return { family: 4, value: low };
  }
  // IPv4-compatible (deprecated) ::a.b.c.d, but :: and ::1 are themselves.
  if (high === 0n && low > 1n) return { family: 4, value: low };
  return null;
}

export function contains(range: AddressRange, a: Address): boolean {
  if (range.family !== a.family) return false;
  const shift = BigInt(BITS[a.family] - range.prefix);
  return a.value >> shift === range.base >> shift;
}

/** Whether `inner` lies entirely inside `outer`. */
function within(inner: AddressRange, outer: AddressRange): boolean {
  return (
    inner.family === outer.family &&
    inner.prefix >= outer.prefix &&
    contains(outer, { family: inner.family, value: inner.base })
  );
}

/**
 * An allow or deny entry: an address (a range of one) or CIDR, IPv4 in dotted-quad form or
 * IPv6. Host bits must be zero, so that a typo such as 10.1.0.0/8 is caught, not widened.
 */
export function parseRange(entry: string): AddressRange {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const address = parseStrictAddress(addressText);
  if (address === null) {
    throw new RangeSyntaxError(
      entry,
      `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, fd00::/8, 192.0.2.7)`,
    );
  }
  const bits: number = BITS[address.family];
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (!(prefix >= 0 && prefix <= bits)) {
      throw new RangeSyntaxError(
        entry,
        `"${entry}": the prefix length must be a whole number from 0 to ${bits}`,
      );
    }
  }
  const shift = BigInt(bits - prefix);
  const base = (address.value >> shift) << shift;
  if (base !== address.value) {
    const suggestion = `${formatAddress({ family: address.family, value: base })}/${prefix}`;
    throw new RangeSyntaxError(entry, `"${entry}" has host bits set: did you mean ${suggestion}?`);
  }
  // An IPv4-mapped range is the IPv4 range it maps (a dual-stack socket connects there).
  if (address.family === 6 && prefix >= 96 && base >> 32n === V4_MAPPED >> 32n) {
    return { family: 4, base: base & LOW_32, prefix: prefix - 96, text };
  }
  return { family: address.family, base, prefix, text };
}

/** Operator entries: IPv4 only as a dotted quad of decimals, IPv6 as written, brackets allowed. */
function parseStrictAddress(text: string): Address | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bare)) {
    const parts = bare.split('.').map(Number);
    if (parts.some((p) => p > 255)) return null;
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  return bare.includes(':') ? parseIpv6(bare) : null;
}

/**
 * Any spelling of an address that a resolver or a URL parser might take for one: IPv6 (with or
 * without brackets, a zone id ignored) or IPv4 the inet_aton way. Null for a host name.
 */
export function parseAddress(text: string): Address | null {
  let bare = text.trim();
  if (bare.startsWith('[') && bare.endsWith(']')) bare = bare.slice(1, -1);
  if (bare.includes(':')) return parseIpv6(bare.replace(/%.*$/, ''));
  return parseInetAton(bare);
}

/** 1 to 4 parts, each decimal, 0x-hex or 0-octal; the last part fills the remaining bytes. */
function parseInetAton(text: string): Address | null {
  const trimmed = text.endsWith('.') ? text.slice(0, -1) : text;
  const parts = trimmed.split('.');
  if (parts.length > 4) return null;
  const values: bigint[] = [];
  for (const part of parts) {
    const value = parseNumberPart(part);
    if (value === null) return null;
    values.push(value);
  }
  const last = values.pop() as bigint;
  let value = 0n;
  for (const v of values) {
    if (v > 255n) return null;
    value = (value << 8n) | v;
  }
  const lastBits = BigInt(8 * (4 - values.length));
  if (last >= 1n << lastBits) return null;
  return { family: 4, value: (value << lastBits) | last };
}

function parseNumberPart(part: string): bigint | null {
  if (/^0x[0-9a-f]*$/i.test(part)) return BigInt(part.length === 2 ? 0 : part);
  if (/^0[0-7]+$/.test(part)) return BigInt(`0o${part.slice(1)}`);
  if (/^(0|[1-9]\d*)$/.test(part)) return BigInt(part);
  return null;
}

function parseIpv6(text: string): Address | null {
  let head = text;
  let tailV4: bigint | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = text.slice(lastColon + 1);
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) return null;
    const parts = v4.split('.').map(Number);
    if (parts.some((p) => p > 255)) return null;
    tailV4 = parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
    head = text.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::", "a::1.2.3.4" leaves "a::", "a:b:1.2.3.4" leaves "a:b:".
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = tailV4 === null ? 8 : 6;
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (s: string): string[] | null => {
    if (s === '') return [];
    const groups = s.split(':');
    return groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? groups : null;
  };
  const left = groupsOf(halves[0] as string);
  const right = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (left === null || right === null) return null;
  let groups: string[];
  if (halves.length === 2) {
    const missing = groupsWanted - left.length - right.length;
    if (missing < 1) return null;
    groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  } else {
    groups = left;
  }
  if (groups.length !== groupsWanted) return null;
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(`0x${g}`);
  if (tailV4 !== null) value = (value << 32n) | tailV4;
  return { family: 6, value };
}

/** Dotted quad, or IPv6 with the longest run of zero groups compressed (RFC 5952). */
export function formatAddress(a: Address): string {
  if (a.family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join('.');
  }
  const groups = [...Array(8).keys()].map((i) =>
    Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
