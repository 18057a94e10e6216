import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('OUTBOUND_APPLIANCE_ID', () => {
  it('is none by default (the generated installation id is sent)', () => {
    expect(loadConfig({}, {}).applianceId).toBeNull();
  });

  it('takes a GUID or a host name as given', () => {
    for (const id of ['3F2504E0-4F89-11D3-9A0C-0305E82C3301', 'support.example.com', 'x']) {
      expect(loadConfig({}, { OUTBOUND_APPLIANCE_ID: id }).applianceId).toBe(id);
    }
    expect(loadConfig({}, { OUTBOUND_APPLIANCE_ID: 'a'.repeat(255) }).applianceId).toHaveLength(
      255,
    );
  });

  it('refuses control characters, surrounding spaces and more than 255 characters, naming it', () => {
    for (const bad of ['a\nb', 'tab\there', ' padded', 'padded ', 'a'.repeat(256), '\u0000']) {
      expect(() => loadConfig({}, { OUTBOUND_APPLIANCE_ID: bad })).toThrow(ConfigError);
      expect(() => loadConfig({}, { OUTBOUND_APPLIANCE_ID: bad })).toThrow(
        /applianceId \(env OUTBOUND_APPLIANCE_ID\) must be 1–255 printable characters/,
      );
    }
  });
});
