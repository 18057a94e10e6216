import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('OUTBOUND_TRUST_PROXY', () => {
  it('is off by default: forwarded headers are not believed', () => {
    expect(loadConfig({}, {}).trustProxy).toBe(false);
    expect(loadConfig({}, { OUTBOUND_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('takes a list of proxy addresses and CIDR ranges', () => {
    const env = { OUTBOUND_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1 ,fd00::/8' };
    expect(loadConfig({}, env).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(loadConfig({}, { OUTBOUND_TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ trustProxy: ['192.0.2.1'] }, {}).trustProxy).toEqual(['192.0.2.1']);
  });

  it('reads a JSON list from the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbound-config-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ trustProxy: ['127.0.0.1', '10.1.0.0/16'] }));
      expect(loadConfig({}, {}, file).trustProxy).toEqual(['127.0.0.1', '10.1.0.0/16']);
      writeFileSync(file, JSON.stringify({ trustProxy: false }));
      expect(loadConfig({}, {}, file).trustProxy).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses "true" (anyone could pick their address) and what is not an address', () => {
    for (const bad of ['true', '*', 'proxy.example.com', '10.0.0.0/33', '1.2.3', '1.5', 'a/b']) {
      expect(() => loadConfig({}, { OUTBOUND_TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({}, { OUTBOUND_TRUST_PROXY: bad }), bad).toThrow(
        /trustProxy \(env OUTBOUND_TRUST_PROXY\)/,
      );
    }
  });

  it('refuses a hop count, which Fastify 5 no longer honours (it cannot tell a proxy from a client)', () => {
    for (const hops of ['1', '2', '0']) {
      expect(() => loadConfig({}, { OUTBOUND_TRUST_PROXY: hops })).toThrow(/hop count/);
    }
  });
});
