import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('OUTBOUND_DESTINATION_ALLOW / OUTBOUND_DESTINATION_DENY', () => {
  it('are empty by default, and read as comma-separated addresses and CIDR ranges', () => {
    const none = loadConfig({}, {});
    expect(none.destinationAllow).toEqual([]);
    expect(none.destinationDeny).toEqual([]);
    const env = {
      OUTBOUND_DESTINATION_ALLOW: '10.0.0.0/8, 192.0.2.7,fd00::/8,',
      OUTBOUND_DESTINATION_DENY: '127.0.0.0/8,::1',
    };
    const config = loadConfig({}, env);
    expect(config.destinationAllow).toEqual(['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    expect(config.destinationDeny).toEqual(['127.0.0.0/8', '::1']);
  });

  it('take a JSON list in the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbound-config-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ destinationDeny: ['10.0.0.0/8', '::1/128'] }));
      expect(loadConfig({}, {}, file).destinationDeny).toEqual(['10.0.0.0/8', '::1/128']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuse a bad entry, naming the setting and the entry', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { OUTBOUND_DESTINATION_DENY: '127.0.0.0/8,10.0.0.0/33' },
        /^destinationDeny \(env OUTBOUND_DESTINATION_DENY\): "10\.0\.0\.0\/33": the prefix length must be a whole number from 0 to 32$/,
      ],
      [
        { OUTBOUND_DESTINATION_ALLOW: '10.1.0.0/8' },
        /^destinationAllow \(env OUTBOUND_DESTINATION_ALLOW\): "10\.1\.0\.0\/8" has host bits set: did you mean 10\.0\.0\.0\/8\?$/,
      ],
      [
        { OUTBOUND_DESTINATION_DENY: 'localhost' },
        /^destinationDeny \(env OUTBOUND_DESTINATION_DENY\): "localhost" is not an IP address or CIDR range/,
      ],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig({}, env)).toThrow(ConfigError);
      expect(() => loadConfig({}, env)).toThrow(message);
    }
  });
});
