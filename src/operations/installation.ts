import { randomUUID } from 'node:crypto';
import type { SettingsStore } from '../store/settings-store.js';

/**
 * This installation's id: what recipients with sendApplianceId receive as `appliance_id`
 * (CONTRACT §7), as a deployed appliance sends its GUID. A GUID generated on the first start
 * and kept in the settings store, so every node of a cluster and every restart send the same;
 * OUTBOUND_APPLIANCE_ID replaces it (a site taking over from an appliance whose GUID its
 * receivers already know).
 */
export interface InstallationId {
  id: string;
  /** True when OUTBOUND_APPLIANCE_ID set it (the generated one is kept, unused). */
  overridden: boolean;
}

export const INSTALLATION_ID_KEY = 'installation.id';

/** Reads the stored id, creating it the first time; `override` wins when given. */
export async function loadInstallationId(
  settings: SettingsStore,
  override: string | null,
  now: number,
): Promise<InstallationId> {
  // Created even when overridden: removing the override later keeps one stable id.
  const stored = await settings.get(INSTALLATION_ID_KEY);
  const id =
    typeof stored === 'string'
      ? stored
      : String(await settings.putIfAbsent(INSTALLATION_ID_KEY, randomUUID(), now));
  return override === null ? { id, overridden: false } : { id: override, overridden: true };
}
