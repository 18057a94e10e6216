import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Address,
  DestinationPolicy,
  formatAddress,
  parseAddress,
  parseRange,
} from '../../src/delivery/destination-policy.js';

const hex = (n: number, width = 0) => n.toString(16).padStart(width, '0');

/** Every way we know to write the IPv4 address `n` (a 32-bit number) as a host. */
function spellingsOfIpv4(n: number): string[] {
  const b = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255] as const;
  const dotted = b.join('.');
  const high = hex(n >>> 16);
  const low = hex(n & 0xffff);
  const spellings = [
    dotted,
    `${dotted}.`,
    String(n),
    `0x${hex(n)}`,
    `0X${hex(n, 8).toUpperCase()}`,
    b.map((x) => `0${x.toString(8)}`).join('.'),
    b.map((x) => `0x${hex(x)}`).join('.'),
    `${b[0]}.${(n & 0xffffff) >>> 0}`,
    `${b[0]}.${b[1]}.${n & 0xffff}`,
    `0x${hex(b[0])}.0${(n & 0xffffff).toString(8)}`,
    // IPv6 forms that embed it: mapped, translated, NAT64, in several spellings.
    `::ffff:${dotted}`,
    `::ffff:${high}:${low}`,
    `::FFFF:${high.toUpperCase()}:${low.toUpperCase()}`,
    `0:0:0:0:0:ffff:${dotted}`,
    `0000:0000:0000:0000:0000:ffff:${hex(n >>> 16, 4)}:${hex(n & 0xffff, 4)}`,
    `::ffff:0:${dotted}`,
    `64:ff9b::${dotted}`,
    `64:ff9b::${high}:${low}`,
    `0064:ff9b:0:0:0:0:${high}:${low}`,
  ];
  // IPv4-compatible ::a.b.c.d, except :: and ::1, which are IPv6's own.
  if (n > 1) spellings.push(`::${dotted}`, `::${high}:${low}`);
  return spellings;
}

/** What a host written in a URL becomes before the connector sees it (WHATWG URL). */
function throughUrl(spelling: string): string | null {
  const host = spelling.includes(':') ? `[${spelling}]` : spelling;
  try {
    return new URL(`http://${host}:8080/hook`).hostname;
  } catch {
    return null;
  }
}

function expectAllRefused(policy: DestinationPolicy, spellings: string[]) {
  for (const spelling of spellings) {
    expect(policy.checkHost(spelling), spelling).not.toBeNull();
    expect(policy.checkHost(`[${spelling}]`), `[${spelling}]`).not.toBeNull();
    const host = throughUrl(spelling);
    if (host !== null) expect(policy.checkHost(host), `${spelling} → ${host}`).not.toBeNull();
  }
}

/** A 32-bit address inside `base`/`prefix`. */
const ipv4In = (base: number, prefix: number) =>
  fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => (base + offset) >>> 0);

const ipv4 = (text: string) => parseAddress(text)?.value as bigint;

describe('destination policy: every spelling of a refused address is refused', () => {
  const policy = DestinationPolicy.DEFAULT;

  it('link-local (cloud metadata), unspecified, multicast and reserved IPv4', () => {
    const ranges: [string, number][] = [
      ['169.254.0.0', 16],
      ['0.0.0.0', 8],
      ['224.0.0.0', 4],
      ['240.0.0.0', 4],
    ];
    for (const [base, prefix] of ranges) {
      fc.assert(
        fc.property(ipv4In(Number(ipv4(base)), prefix), (n) => {
          expectAllRefused(policy, spellingsOfIpv4(n));
        }),
      );
    }
    expectAllRefused(policy, spellingsOfIpv4(Number(ipv4('169.254.169.254'))));
    expectAllRefused(policy, spellingsOfIpv4(Number(ipv4('100.100.100.200'))));
  });

  it('an operator deny range, whatever the address inside it is written as', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (seed, prefix, offset) => {
          const base = prefix === 32 ? seed : (seed >>> (32 - prefix)) * 2 ** (32 - prefix);
          const range = `${formatAddress({ family: 4, value: BigInt(base) })}/${prefix}`;
          const n = base + (prefix === 32 ? 0 : offset % 2 ** (32 - prefix));
          const denying = DestinationPolicy.of({ deny: [range] });
          expectAllRefused(denying, spellingsOfIpv4(n));
        },
      ),
    );
  });

  it('IPv6 link-local, multicast, unspecified and AWS metadata in any IPv6 spelling', () => {
    const groups = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 7, maxLength: 7 });
    const spellings = (first: number, rest: number[]) => {
      const all = [first, ...rest];
      return [
        all.map((g) => hex(g)).join(':'),
        all.map((g) => hex(g, 4).toUpperCase()).join(':'),
        formatAddress(parseAddress(all.map((g) => hex(g)).join(':')) as Address),
      ];
    };
    fc.assert(
      fc.property(fc.integer({ min: 0xfe80, max: 0xfebf }), groups, (first, rest) => {
        expectAllRefused(policy, spellings(first, rest));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0xff00, max: 0xffff }), groups, (first, rest) => {
        expectAllRefused(policy, spellings(first, rest));
      }),
    );
    expectAllRefused(policy, [
      '::',
      '0:0:0:0:0:0:0:0',
      '0000::0000',
      'fd00:ec2::254',
      'FD00:0EC2:0:0:0:0:0:0254',
    ]);
  });

  it('metadata host names, by name, in any case and with trailing dots', () => {
    for (const name of [
      'metadata.google.internal',
      'METADATA.Google.Internal.',
      'metadata',
      'metadata.goog..',
    ]) {
      expect(policy.checkHost(name)?.reason).toMatch(/cloud metadata host name/);
    }
    expect(policy.checkHost('metadata.google.internal.example.com')).toBeNull();
  });
});

describe('destination policy: reading addresses', () => {
  it('reads IPv6 as the URL parser does (same address, same canonical text)', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const parsed = parseAddress(text);
        expect(parsed, text).not.toBeNull();
        expect(`[${formatAddress(parsed as Address)}]`).toBe(throughUrl(text));
      }),
    );
  });

  it('reads IPv4 in any inet_aton spelling as the URL parser does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        for (const spelling of spellingsOfIpv4(n).filter((s) => !s.includes(':'))) {
          const parsed = parseAddress(spelling);
          expect(parsed, spelling).toEqual({ family: 4, value: BigInt(n) });
          expect(formatAddress(parsed as Address)).toBe(throughUrl(spelling));
        }
      }),
    );
  });

  it('takes host names for names', () => {
    for (const name of [
      'example.com',
      'localhost',
      '1.2.3.4.example',
      '0x1g',
      '1e3',
      '',
      '1.2.3.4.5',
      '256.1.1.1',
    ]) {
      expect(parseAddress(name), name).toBeNull();
    }
  });
});

describe('destination policy: the decision', () => {
  it('allows loopback, private and public addresses by default', () => {
    const policy = DestinationPolicy.DEFAULT;
    for (const address of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '192.168.1.1',
      '172.16.0.1',
      'fd12::1',
      '192.0.2.10',
      '2001:db8::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(policy.checkHost(address), address).toBeNull();
    }
  });

  it('deny beats allow, for either form of an IPv4-mapped address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        const policy = DestinationPolicy.of({ allow: ['0.0.0.0/0', '::/0'], deny: [`${text}/32`] });
        expect(policy.checkHost(text)?.reason).toMatch(/deny list/);
        expect(policy.checkHost(`::ffff:${text}`)?.reason).toMatch(/deny list/);
      }),
    );
  });

  it('an allow list means only these, except that built-in refusals need an entry inside them', () => {
    const policy = DestinationPolicy.of({ allow: ['10.0.0.0/8', '0.0.0.0/0'] });
    expect(policy.checkHost('10.9.8.7')).toBeNull();
    // 0.0.0.0/0 holds 169.254.169.254 but is broader than 169.254.0.0/16: no lift.
    expect(policy.checkHost('169.254.169.254')?.reason).toMatch(/refused by default/);

    const onlyTen = DestinationPolicy.of({ allow: ['10.0.0.0/8'] });
    expect(onlyTen.checkHost('192.168.1.1')?.reason).toMatch(/not in the allow list/);
    expect(onlyTen.checkHost('::ffff:10.1.1.1')).toBeNull();
    expect(onlyTen.checkHost('::1')?.reason).toMatch(/not in the allow list/);

    const metadata = DestinationPolicy.of({ allow: ['169.254.169.254/32'] });
    expect(metadata.checkHost('169.254.169.254')).toBeNull();
    expect(metadata.checkHost('::ffff:a9fe:a9fe')).toBeNull();
    expect(metadata.checkHost('169.254.169.253')?.reason).toMatch(/link-local/);
    // The allow list is set: everything else is now outside it.
    expect(metadata.checkHost('127.0.0.1')?.reason).toMatch(/not in the allow list/);
  });

  it('any address outside the built-in ranges is allowed without settings', () => {
    const builtIn = [
      '0.0.0.0/8',
      '169.254.0.0/16',
      '100.100.100.200/32',
      '224.0.0.0/4',
      '240.0.0.0/4',
    ].map(parseRange);
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        const value = parseAddress(text)?.value as bigint;
        const inside = builtIn.some(
          (r) => value >> BigInt(32 - r.prefix) === r.base >> BigInt(32 - r.prefix),
        );
        expect(DestinationPolicy.DEFAULT.checkHost(text) === null).toBe(!inside);
      }),
    );
  });
});

describe('destination policy: allow and deny entries', () => {
  it('reads addresses and CIDR ranges', () => {
    expect(parseRange('10.0.0.0/8')).toMatchObject({ family: 4, prefix: 8 });
    expect(parseRange(' 192.0.2.7 ')).toMatchObject({ family: 4, prefix: 32 });
    expect(parseRange('fd00::/8')).toMatchObject({ family: 6, prefix: 8 });
    expect(parseRange('[::1]')).toMatchObject({ family: 6, prefix: 128 });
    expect(parseRange('0.0.0.0/0')).toMatchObject({ family: 4, prefix: 0 });
    // An IPv4-mapped range is its IPv4 range: it holds the plain IPv4 spellings too.
    expect(parseRange('::ffff:127.0.0.0/104')).toMatchObject({
      family: 4,
      base: 0x7f000000n,
      prefix: 8,
    });
    const mapped = DestinationPolicy.of({ deny: ['::ffff:7f00:0/104'] });
    expect(mapped.checkHost('127.0.0.1')?.reason).toMatch(/deny list \(::ffff:7f00:0\/104\)/);
    expect(mapped.checkHost('::ffff:127.0.0.1')).not.toBeNull();
    expect(mapped.checkHost('::1')).toBeNull();
  });

  it.each([
    ['10.0.0.0/33', /prefix length must be a whole number from 0 to 32/],
    ['fd00::/129', /from 0 to 128/],
    ['10.0.0.0/', /prefix length/],
    ['10.0.0.0/8/8', /prefix length/],
    ['10.1.0.0/8', /host bits set: did you mean 10\.0\.0\.0\/8\?/],
    ['fe80::1/10', /did you mean fe80::\/10\?/],
    ['0x7f000001', /not an IP address or CIDR range/],
    ['127.1', /not an IP address or CIDR range/],
    ['localhost', /not an IP address or CIDR range/],
    ['256.0.0.0/8', /not an IP address or CIDR range/],
    ['', /not an IP address or CIDR range/],
  ])('refuses %j', (entry, message) => {
    expect(() => parseRange(entry)).toThrow(message);
  });
});
