import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('OUTBOUND_PUBLIC_URL', () => {
  it('is none by default, and kept without its trailing slash', () => {
    expect(loadConfig({}, {}).publicUrl).toBeNull();
    const env = { OUTBOUND_PUBLIC_URL: 'https://outbound.example.com/base/' };
    expect(loadConfig({}, env).publicUrl).toBe('https://outbound.example.com/base');
  });

  it('refuses what is not an http(s) address, naming the setting', () => {
    for (const bad of ['outbound.example.com', 'ftp://x', 'https://x/?a=1']) {
      expect(() => loadConfig({}, { OUTBOUND_PUBLIC_URL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({}, { OUTBOUND_PUBLIC_URL: bad })).toThrow(
        /publicUrl \(env OUTBOUND_PUBLIC_URL\) must be an http:\/\/ or https:\/\/ address/,
      );
    }
  });
});
